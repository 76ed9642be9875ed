package dev.hotline.report.business;

import java.util.Map;
import java.util.Set;

/**
 * Where a Chinese phone number is from, for the regional distribution of customers (RPT-4), by its matching form
 * ({@code +86...}, see the CRM's phone numbers). A landline's area code names its city: a small table of the largest
 * cities' codes is shipped below (other codes are shown as the code itself). A mobile number carries no city in its
 * digits (that needs a number-segment database, which is not shipped), so mobiles are grouped by carrier from their
 * first three digits. Numbers of another country are "international"; anything else "unknown".
 */
final class Regions {
    private Regions() {}

    /** A region: its key (an area code such as 010, mobile-cmcc, international, unknown) and its names. */
    record Region(String key, String en, String zh) {
        String name(String lang) {
            return "zh".equals(lang) ? zh : en;
        }
    }

    static final Region UNKNOWN = new Region("unknown", "Unknown", "未知");
    static final Region INTERNATIONAL = new Region("international", "International", "境外");

    /** Area code → city, the largest cities of mainland China. */
    private static final Map<String, String[]> CITIES = Map.ofEntries(
            Map.entry("010", new String[] {"Beijing", "北京"}), Map.entry("021", new String[] {"Shanghai", "上海"}),
            Map.entry("020", new String[] {"Guangzhou", "广州"}), Map.entry("0755", new String[] {"Shenzhen", "深圳"}),
            Map.entry("022", new String[] {"Tianjin", "天津"}), Map.entry("023", new String[] {"Chongqing", "重庆"}),
            Map.entry("024", new String[] {"Shenyang", "沈阳"}), Map.entry("025", new String[] {"Nanjing", "南京"}),
            Map.entry("027", new String[] {"Wuhan", "武汉"}), Map.entry("028", new String[] {"Chengdu", "成都"}),
            Map.entry("029", new String[] {"Xi'an", "西安"}), Map.entry("0571", new String[] {"Hangzhou", "杭州"}),
            Map.entry("0512", new String[] {"Suzhou", "苏州"}), Map.entry("0532", new String[] {"Qingdao", "青岛"}),
            Map.entry("0531", new String[] {"Jinan", "济南"}), Map.entry("0371", new String[] {"Zhengzhou", "郑州"}),
            Map.entry("0731", new String[] {"Changsha", "长沙"}), Map.entry("0591", new String[] {"Fuzhou", "福州"}),
            Map.entry("0592", new String[] {"Xiamen", "厦门"}), Map.entry("0551", new String[] {"Hefei", "合肥"}),
            Map.entry("0311", new String[] {"Shijiazhuang", "石家庄"}), Map.entry("0351", new String[] {"Taiyuan", "太原"}),
            Map.entry("0431", new String[] {"Changchun", "长春"}), Map.entry("0451", new String[] {"Harbin", "哈尔滨"}),
            Map.entry("0411", new String[] {"Dalian", "大连"}), Map.entry("0871", new String[] {"Kunming", "昆明"}),
            Map.entry("0851", new String[] {"Guiyang", "贵阳"}), Map.entry("0771", new String[] {"Nanning", "南宁"}),
            Map.entry("0791", new String[] {"Nanchang", "南昌"}), Map.entry("0898", new String[] {"Haikou", "海口"}),
            Map.entry("0991", new String[] {"Urumqi", "乌鲁木齐"}), Map.entry("0931", new String[] {"Lanzhou", "兰州"}),
            Map.entry("0471", new String[] {"Hohhot", "呼和浩特"}), Map.entry("0757", new String[] {"Foshan", "佛山"}),
            Map.entry("0769", new String[] {"Dongguan", "东莞"}), Map.entry("0574", new String[] {"Ningbo", "宁波"}),
            Map.entry("0510", new String[] {"Wuxi", "无锡"}));

    private static final Set<String> CMCC = Set.of("134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "157", "158", "159",
            "172", "178", "182", "183", "184", "187", "188", "195", "197", "198");
    private static final Set<String> CUCC = Set.of("130", "131", "132", "145", "155", "156", "166", "171", "175", "176", "185", "186", "196");
    private static final Set<String> CTCC = Set.of("133", "149", "153", "173", "177", "180", "181", "189", "190", "191", "193", "199");

    /** The region of a number in its matching form; {@link #UNKNOWN} for null or a number that is not a full one. */
    static Region of(String normalized) {
        if (normalized == null || !normalized.startsWith("+")) return UNKNOWN;
        if (!normalized.startsWith("+86")) return INTERNATIONAL;
        String n = normalized.substring(3);
        if (n.length() == 11 && n.matches("1[3-9][0-9]{9}")) {
            String p = n.substring(0, 3);
            if (CMCC.contains(p)) return new Region("mobile-cmcc", "Mobile (China Mobile)", "手机（中国移动）");
            if (CUCC.contains(p)) return new Region("mobile-cucc", "Mobile (China Unicom)", "手机（中国联通）");
            if (CTCC.contains(p)) return new Region("mobile-ctcc", "Mobile (China Telecom)", "手机（中国电信）");
            return new Region("mobile-other", "Mobile (other)", "手机（其他）");
        }
        if (n.length() < 9 || !n.matches("[1-9][0-9]+")) return UNKNOWN;
        String code = "0" + (n.startsWith("10") || n.startsWith("2") ? n.substring(0, 2) : n.substring(0, 3));
        String[] city = CITIES.get(code);
        return city == null ? new Region(code, "Area code " + code, "区号 " + code) : new Region(code, city[0] + " (" + code + ")",
                city[1] + "（" + code + "）");
    }

    /** A region named by a customer field's value (blank: unknown). */
    static Region ofField(String value) {
        if (value == null || value.isBlank()) return UNKNOWN;
        String v = value.strip();
        return new Region("field:" + v, v, v);
    }
}
