package dev.hotline.engine.tts;

import java.util.Locale;

/**
 * Every shipped prompt: its key (the file name without ".wav") and its text in both languages.
 *
 * <p>Each key exists as {@code prompts/zh/<key>.wav} and {@code prompts/en/<key>.wav}. Some keys are only used by
 * one language's grammar (English ordinals, the Chinese 两 and 幺); their text in the other language is a faithful
 * translation so that every key plays sensibly in both. The texts are also listed in {@code prompts/phrases.tsv},
 * which {@code prompts/generate.sh} reads; a unit test keeps the two identical.
 */
public enum PromptKey {
    // Cardinal numbers. In Chinese N10 is 十 and N11..N19, N20..N90 are never needed by Say (it builds them from
    // digits and 十) but exist so that the key set is the same in both languages.
    N0("零", "zero"), N1("一", "one"), N2("二", "two"), N3("三", "three"), N4("四", "four"),
    N5("五", "five"), N6("六", "six"), N7("七", "seven"), N8("八", "eight"), N9("九", "nine"),
    N10("十", "ten"), N11("十一", "eleven"), N12("十二", "twelve"), N13("十三", "thirteen"),
    N14("十四", "fourteen"), N15("十五", "fifteen"), N16("十六", "sixteen"), N17("十七", "seventeen"),
    N18("十八", "eighteen"), N19("十九", "nineteen"),
    N20("二十", "twenty"), N30("三十", "thirty"), N40("四十", "forty"), N50("五十", "fifty"),
    N60("六十", "sixty"), N70("七十", "seventy"), N80("八十", "eighty"), N90("九十", "ninety"),
    HUNDRED("百", "hundred"), THOUSAND("千", "thousand"), TEN_THOUSAND("万", "ten thousand"),
    MILLION("百万", "million"), HUNDRED_MILLION("亿", "hundred million"),
    /** 两: "two" before 百, 千, 万, 亿 and measure words (两分钟). */
    LIANG("两", "two"),
    /** 幺: "one" when reading digit strings such as phone numbers. */
    YAO("幺", "one"),
    POINT("点", "point"), MINUS("负", "minus"), AND("和", "and"),
    /** "oh" as in "nine oh five" (years, clock minutes). */
    OH("零", "oh"),
    STAR("星号", "star"), POUND("井号", "pound"),

    // Ordinals, used by English dates ("March twenty first").
    ORD1("第一", "first"), ORD2("第二", "second"), ORD3("第三", "third"), ORD4("第四", "fourth"),
    ORD5("第五", "fifth"), ORD6("第六", "sixth"), ORD7("第七", "seventh"), ORD8("第八", "eighth"),
    ORD9("第九", "ninth"), ORD10("第十", "tenth"), ORD11("第十一", "eleventh"), ORD12("第十二", "twelfth"),
    ORD13("第十三", "thirteenth"), ORD14("第十四", "fourteenth"), ORD15("第十五", "fifteenth"),
    ORD16("第十六", "sixteenth"), ORD17("第十七", "seventeenth"), ORD18("第十八", "eighteenth"),
    ORD19("第十九", "nineteenth"), ORD20("第二十", "twentieth"), ORD30("第三十", "thirtieth"),

    // Money.
    YUAN("元", "yuan"), JIAO("角", "jiao"), FEN("分", "fen"),
    DOLLAR("美元", "dollar"), DOLLARS("美元", "dollars"), CENT("美分", "cent"), CENTS("美分", "cents"),

    // Dates and clock times.
    YEAR("年", "year"), MONTH("月", "month"), DAY("日", "day"), HAO("号", "day"),
    /** Clock hour: 点 in "两点" and "o'clock" in "two o'clock". */
    OCLOCK("点", "o'clock"),
    /** Clock minute: 分 in "两点零五分"; English says no word there. */
    CLOCK_MINUTE("分", "minutes"),
    AM("上午", "a.m."), PM("下午", "p.m."),
    JANUARY("一月", "January"), FEBRUARY("二月", "February"), MARCH("三月", "March"), APRIL("四月", "April"),
    MAY("五月", "May"), JUNE("六月", "June"), JULY("七月", "July"), AUGUST("八月", "August"),
    SEPTEMBER("九月", "September"), OCTOBER("十月", "October"), NOVEMBER("十一月", "November"),
    DECEMBER("十二月", "December"),
    MONDAY("星期一", "Monday"), TUESDAY("星期二", "Tuesday"), WEDNESDAY("星期三", "Wednesday"),
    THURSDAY("星期四", "Thursday"), FRIDAY("星期五", "Friday"), SATURDAY("星期六", "Saturday"),
    SUNDAY("星期日", "Sunday"),

    // Durations.
    HOUR("小时", "hour"), HOURS("小时", "hours"), MINUTE("分钟", "minute"), MINUTES("分钟", "minutes"),
    SECOND("秒", "second"), SECONDS("秒", "seconds"),

    // Queue and IVR phrases.
    YOU_ARE_NUMBER("您排在第", "you are number"),
    IN_THE_QUEUE("位", "in the queue"),
    EXPECTED_WAIT("预计等待时间", "your expected wait is"),
    ABOUT("大约", "about"),
    PLEASE_HOLD("请稍候", "please hold"),
    AGENTS_BUSY("座席全忙", "all our agents are busy"),
    WELCOME("欢迎致电", "welcome"),
    THANK_YOU_FOR_CALLING("感谢您的来电", "thank you for calling"),
    GOODBYE("再见", "goodbye"),
    INVALID_INPUT("输入有误，请重新输入", "invalid input, please try again"),
    PLEASE_ENTER("请输入", "please enter"),
    END_WITH_POUND("以井号键结束", "followed by the pound key"),
    YOU_ENTERED("您输入的是", "you entered"),
    PRESS("请按", "press"),
    FOR("进入", "for"),
    MAIN_MENU("返回主菜单", "to return to the main menu"),
    CALLBACK("如需回电", "to receive a call back"),
    TRANSFERRING("正在为您转接", "your call is being transferred"),
    LEAVE_MESSAGE("请在提示音后留言", "please leave a message after the tone"),
    TRY_LATER("请稍后再拨", "please call again later"),
    AGENT_NUMBER("工号", "agent number"),
    AT_YOUR_SERVICE("为您服务", "is taking your call"),
    CALLBACK_REGISTERED("已登记回电，请挂机", "we will call you back, you may hang up now"),
    /** The demo hotline's menu (app.DemoData), shipped so the demo speaks without espeak-ng. */
    DEMO_MENU("销售请按一，客服请按二，听取您的来电号码请按三，总机请按零，留言请按九",
            "for sales press one, for support press two, to hear your number press three, for the operator press zero, to leave a message press nine"),
    /** The demo hotline's night message, before its voicemail. */
    DEMO_CLOSED("现在是非工作时间，请在提示音后留言，我们会尽快回电", "we are closed now, please leave a message after the tone and we will call you back"),
    /** The satisfaction survey after a queue call (MSG-4): the score, the reason of an unsatisfied caller, thanks. */
    SURVEY_SCORE("请对本次服务进行评价，非常满意请按一，满意请按二，不满意请按三",
            "please rate our service: very satisfied press one, satisfied press two, unsatisfied press three"),
    SURVEY_REASON("服务不满意请按一，态度不满意请按二，其他不满意请按三",
            "unsatisfied with the service press one, with the attitude press two, anything else press three"),
    SURVEY_THANKS("感谢您的评价，再见", "thank you for your feedback, goodbye"),
    /** A 1 kHz tone of 400 ms, the same in both languages. */
    BEEP("", "");

    private final String zh;
    private final String en;

    PromptKey(String zh, String en) {
        this.zh = zh;
        this.en = en;
    }

    /** The file name without extension, e.g. "n12", "you_are_number". */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The spoken text in {@code language}; empty for {@link #BEEP}. */
    public String text(Language language) {
        return language == Language.ZH ? zh : en;
    }

    /** True when the prompt is a tone rather than speech. */
    public boolean isTone() {
        return this == BEEP;
    }

    /** Parses a file name such as "n12" or "you_are_number". */
    public static PromptKey fromFileName(String fileName) {
        return valueOf(fileName.toUpperCase(Locale.ROOT));
    }

    /** The cardinal key for 0..19 and the multiples of ten up to 90. */
    static PromptKey number(int n) {
        if (n >= 0 && n <= 20) {
            return n == 20 ? N20 : values()[N0.ordinal() + n];
        }
        if (n % 10 == 0 && n <= 90) {
            return values()[N20.ordinal() + n / 10 - 2];
        }
        throw new IllegalArgumentException("no single prompt for " + n);
    }

    /** The ordinal key for 1..19, 20 and 30. */
    static PromptKey ordinal(int n) {
        if (n >= 1 && n <= 19) {
            return values()[ORD1.ordinal() + n - 1];
        }
        if (n == 20) {
            return ORD20;
        }
        if (n == 30) {
            return ORD30;
        }
        throw new IllegalArgumentException("no single ordinal prompt for " + n);
    }
}
