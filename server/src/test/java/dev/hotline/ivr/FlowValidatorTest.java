package dev.hotline.ivr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.web.Json;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each validation rule of IVR-3 on a small graph. */
class FlowValidatorTest {
    static final FlowValidator.Context CTX = new FlowValidator.Context(Set.of("1001"), Set.of("8800"), Set.of("main", "other"), Set.of("support"),
            Set.of("hello.wav"), true);

    static Flow.Graph graph(String json) throws Exception {
        return Json.MAPPER.readValue(json.replace('\'', '"'), Flow.Graph.class);
    }

    static List<String> problems(String json) throws Exception {
        return FlowValidator.validate(graph(json), CTX).stream().map(p -> p.node() + "." + p.field() + ": " + p.message()).toList();
    }

    @Test
    void aCompleteFlowHasNoProblems() throws Exception {
        assertThat(problems("""
                {'start':'welcome','nodes':{
                  'welcome':{'type':'play','prompts':[{'prompt':'WELCOME'},{'tts':'您好 ${caller}'}],'next':'hours'},
                  'hours':{'type':'time','timezone':'Asia/Shanghai','weekly':[{'days':[1,2,3,4,5],'from':'09:00','to':'18:00'}],
                           'holidays':['2026-10-01'],'open':'menu','closed':'bye'},
                  'menu':{'type':'menu','prompts':[{'file':'hello.wav'}],'options':{'1':'ext','2':'room','3':'say','#':'bye'},'fail':'bye'},
                  'ext':{'type':'transfer','target':'extension','value':'1001','fail':'bye'},
                  'room':{'type':'transfer','target':'conference','value':'8800'},
                  'say':{'type':'say','value':'${caller}','as':'digits','next':'look'},
                  'look':{'type':'http','method':'GET','url':'http://crm.example/c/${caller}','timeoutMs':2000,'assign':{'tier':'customer.tier'},'next':'bye','error':'bye'},
                  'bye':{'type':'hangup'}}}""")).isEmpty();
    }

    @Test
    void aSurveyNodeHasALanguageOrNoneAndGoesOn() throws Exception {
        assertThat(problems("{'start':'s','nodes':{'s':{'type':'survey','language':'en','next':'b'},'b':{'type':'hangup'}}}")).isEmpty();
        assertThat(problems("{'start':'s','nodes':{'s':{'type':'survey','next':'b'},'b':{'type':'hangup'}}}")).isEmpty();
        assertThat(problems("{'start':'s','nodes':{'s':{'type':'survey','language':'fr','next':'b'},'b':{'type':'hangup'}}}"))
                .containsExactly("s.language: zh, en or none");
        assertThat(problems("{'start':'s','nodes':{'s':{'type':'survey'}}}")).containsExactly("s.next: not connected");
        assertThat(Flow.typeOf(graph("{'start':'s','nodes':{'s':{'type':'survey','next':'s'}}}").nodes().get("s"))).isEqualTo("survey");
    }

    @Test
    void aPriorityNodeTakesANumberOrAVariable() throws Exception {
        for (String ok : List.of("0", "30", "100", "${tier}")) {
            assertThat(problems("{'start':'p','nodes':{'p':{'type':'priority','value':'" + ok + "','next':'b'},'b':{'type':'hangup'}}}")).as(ok).isEmpty();
        }
        assertThat(problems("{'start':'p','nodes':{'p':{'type':'priority','value':'101','next':'b'},'b':{'type':'hangup'}}}"))
                .containsExactly("p.value: 0..100 or a ${variable}");
        assertThat(problems("{'start':'p','nodes':{'p':{'type':'priority','next':'b'},'b':{'type':'hangup'}}}"))
                .containsExactly("p.value: required: 0..100 or a ${variable}");
        assertThat(problems("{'start':'p','nodes':{'p':{'type':'priority','value':'5'}}}")).containsExactly("p.next: not connected");
        assertThat(Flow.typeOf(graph("{'start':'p','nodes':{'p':{'type':'priority','value':'5','next':'p'}}}").nodes().get("p"))).isEqualTo("priority");
    }

    @Test
    void aCallerNodeNeedsValidAreasOrAnExistingListAndBothExits() throws Exception {
        var ctx = new FlowValidator.Context(Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), true, Set.of(), Set.of(), Set.of("vip"));
        java.util.function.Function<String, List<String>> check = json -> {
            try {
                return FlowValidator.validate(graph(json), ctx).stream().map(p -> p.node() + "." + p.field() + ": " + p.message()).toList();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        assertThat(check.apply("{'start':'c','nodes':{'c':{'type':'caller','areas':['010','021','0755','+86 755','138','1390'],'list':'vip',"
                + "'match':'b','noMatch':'b'},'b':{'type':'hangup'}}}")).isEmpty();
        assertThat(check.apply("{'start':'c','nodes':{'c':{'type':'caller','areas':['10','0','12','abc'],'list':'gold','match':'b'},'b':{'type':'hangup'}}}"))
                .containsExactlyInAnyOrder("c.noMatch: not connected", "c.list: no such number list",
                        "c.areas.0: an area code such as 010 or 0755, or a mobile prefix such as 138",
                        "c.areas.1: an area code such as 010 or 0755, or a mobile prefix such as 138",
                        "c.areas.2: an area code such as 010 or 0755, or a mobile prefix such as 138",
                        "c.areas.3: an area code such as 010 or 0755, or a mobile prefix such as 138");
        assertThat(check.apply("{'start':'c','nodes':{'c':{'type':'caller','areas':[],'list':'','match':'b','noMatch':'b'},'b':{'type':'hangup'}}}"))
                .containsExactly("c.areas: an area code or a number list is required");
        assertThat(Flow.typeOf(graph("{'start':'c','nodes':{'c':{'type':'caller','list':'vip'}}}").nodes().get("c"))).isEqualTo("caller");
    }

    @Test
    void startMustExist() throws Exception {
        assertThat(problems("{'start':'nope','nodes':{'a':{'type':'hangup'}}}")).anyMatch(p -> p.contains("start node does not exist"));
        assertThat(problems("{'start':'a','nodes':{}}")).anyMatch(p -> p.contains("at least one node"));
    }

    @Test
    void danglingAndUnconnectedExitsAreNamed() throws Exception {
        assertThat(problems("{'start':'a','nodes':{'a':{'type':'play','prompts':[{'prompt':'WELCOME'}],'next':'ghost'}}}"))
                .contains("a.next: goes to missing node ghost");
        assertThat(problems("{'start':'a','nodes':{'a':{'type':'play','prompts':[{'prompt':'WELCOME'}]}}}")).contains("a.next: not connected");
        assertThat(problems("{'start':'m','nodes':{'m':{'type':'menu','prompts':[{'prompt':'WELCOME'}],'options':{'1':'x'},'fail':'b'},'b':{'type':'hangup'}}}"))
                .contains("m.options.1: goes to missing node x");
    }

    @Test
    void unreachableNodesAreFound() throws Exception {
        assertThat(problems("{'start':'a','nodes':{'a':{'type':'hangup'},'lost':{'type':'hangup'}}}")).contains("lost.id: unreachable from the start");
    }

    @Test
    void promptsMustExist() throws Exception {
        assertThat(problems("{'start':'a','nodes':{'a':{'type':'play','prompts':[{'prompt':'NO_SUCH'}],'next':'b'},'b':{'type':'hangup'}}}"))
                .anyMatch(p -> p.contains("no shipped prompt NO_SUCH"));
        assertThat(problems("{'start':'a','nodes':{'a':{'type':'play','prompts':[{'file':'missing.wav'}],'next':'b'},'b':{'type':'hangup'}}}"))
                .anyMatch(p -> p.contains("no uploaded prompt missing.wav"));
        assertThat(problems("{'start':'a','nodes':{'a':{'type':'play','prompts':[],'next':'b'},'b':{'type':'hangup'}}}"))
                .anyMatch(p -> p.contains("needs at least one prompt"));
        assertThat(problems("{'start':'a','nodes':{'a':{'type':'play','prompts':[{'tts':'x','prompt':'WELCOME'}],'next':'b'},'b':{'type':'hangup'}}}"))
                .anyMatch(p -> p.contains("one of tts, prompt or file"));
        var noTts = new FlowValidator.Context(Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), false);
        assertThat(FlowValidator.validate(graph("{'start':'a','nodes':{'a':{'type':'play','prompts':[{'tts':'hi'}],'next':'b'},'b':{'type':'hangup'}}}"), noTts))
                .anyMatch(p -> p.message().contains("apt-get install espeak-ng"));
    }

    @Test
    void referencesMustExist() throws Exception {
        assertThat(problems("{'start':'a','nodes':{'a':{'type':'transfer','target':'extension','value':'9999'}}}")).contains("a.value: no such extension");
        assertThat(problems("{'start':'a','nodes':{'a':{'type':'transfer','target':'conference','value':'1'}}}")).contains("a.value: no such conference room");
        assertThat(problems("{'start':'a','nodes':{'a':{'type':'transfer','target':'queue','value':'nosuchqueue'}}}"))
                .contains("a.value: no such queue");
        assertThat(problems("{'start':'a','nodes':{'a':{'type':'transfer','target':'queue','value':'support','priority':'high'}}}"))
                .contains("a.priority: 0..100 or a ${variable}");
        for (String ok : java.util.List.of("", "0", "50", "100", "${tier}")) {
            assertThat(problems("{'start':'a','nodes':{'a':{'type':'transfer','target':'queue','value':'support','priority':'" + ok + "'}}}"))
                    .as(ok).isEmpty();
        }
        assertThat(problems("{'start':'a','nodes':{'a':{'type':'transfer','target':'pager','value':'1'}}}"))
                .contains("a.target: extension, queue, ring group, conference or external");
        assertThat(problems("{'start':'a','nodes':{'a':{'type':'goto','flow':'nowhere'}}}")).contains("a.flow: no such flow");
    }

    @Test
    void aTransferToARingGroupNeedsAnExistingGroup() throws Exception {
        var ctx = new FlowValidator.Context(Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), true, Set.of("sales-team"));
        assertThat(FlowValidator.validate(graph("{'start':'a','nodes':{'a':{'type':'transfer','target':'ringgroup','value':'sales-team'}}}"), ctx))
                .isEmpty();
        assertThat(FlowValidator.validate(graph("{'start':'a','nodes':{'a':{'type':'transfer','target':'ringgroup','value':'nobody'}}}"), ctx))
                .extracting(Flow.Problem::message).containsExactly("no such ring group");
    }

    @Test
    void nodeSettingsAreChecked() throws Exception {
        assertThat(problems("{'start':'m','nodes':{'m':{'type':'menu','prompts':[{'prompt':'WELCOME'}],'options':{'x':'b'},'timeoutSeconds':99,'fail':'b'},'b':{'type':'hangup'}}}"))
                .contains("m.options.x: keys are 0-9, * or #", "m.timeoutSeconds: 1..30");
        assertThat(problems("{'start':'t','nodes':{'t':{'type':'time','timezone':'Mars/Base','weekly':[{'days':[8],'from':'18:00','to':'09:00'}],'holidays':['soon'],'open':'b','closed':'b'},'b':{'type':'hangup'}}}"))
                .contains("t.timezone: unknown time zone", "t.weekly.0.days: days 1 (Monday) to 7 (Sunday)", "t.weekly.0: from must be before to",
                        "t.holidays: dates as YYYY-MM-DD");
        assertThat(problems("{'start':'h','nodes':{'h':{'type':'http','url':'ftp://x','timeoutMs':5,'next':'b'},'b':{'type':'hangup'}}}"))
                .contains("h.url: an http:// or https:// address", "h.timeoutMs: 100..10000");
        assertThat(problems("{'start':'c','nodes':{'c':{'type':'collect','variable':'1bad','next':'b'},'b':{'type':'hangup'}}}"))
                .contains("c.variable: a name of letters, digits and '_'");
        assertThat(problems("{'start':'s','nodes':{'s':{'type':'say','value':'1','as':'poem','next':'b'},'b':{'type':'hangup'}}}"))
                .contains("s.as: digits, number, amount, date or time");
    }

    @Test
    void aTicketStatusNodeHasBothExitsSaneLimitsAndNeedsTextToSpeech() throws Exception {
        String ok = "{'start':'t','nodes':{'t':{'type':'ticket','retries':2,'timeoutSeconds':10,'next':'b','fail':'b'},'b':{'type':'hangup'}}}";
        assertThat(problems(ok)).isEmpty();
        assertThat(problems("{'start':'t','nodes':{'t':{'type':'ticket','retries':9,'timeoutSeconds':1,'prompts':[{'prompt':'NOPE'}],'next':'b'},'b':{'type':'hangup'}}}"))
                .contains("t.fail: not connected", "t.retries: 0..5", "t.timeoutSeconds: 3..60", "t.prompts.0: no shipped prompt NOPE");
        var noTts = new FlowValidator.Context(Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), false);
        assertThat(FlowValidator.validate(graph(ok), noTts)).extracting(Flow.Problem::field).containsExactly("type");
        assertThat(Flow.typeOf(graph(ok).nodes().get("t"))).isEqualTo("ticket");
    }

    @Test
    void unknownNodeTypesAreRefusedWhenRead() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> graph("{'start':'a','nodes':{'a':{'type':'teleport'}}}"))
                .isInstanceOf(com.fasterxml.jackson.databind.JsonMappingException.class);
    }

    @Test
    void aDatabaseLookupIsOneReadOnlyQueryOnAKnownSourceWithKnownVariables() throws Exception {
        var ctx = new FlowValidator.Context(Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), true, Set.of(), Set.of("crm"));
        java.util.function.Function<String, List<String>> check = q -> {
            var g = new Flow.Graph("c", java.util.Map.of(
                    "c", new Flow.Collect(null, "pin", null, null, null, "d"),
                    "d", new Flow.Db("crm", q, java.util.Map.of("tier", "TIER"), "e", "e", "e"),
                    "e", new Flow.Db("crm", "SELECT 1 AS x FROM t WHERE tier = ${tier}", null, "b", "b", "b"),
                    "b", new Flow.Hangup()), null);
            return FlowValidator.validate(g, ctx).stream().map(p -> p.node() + "." + p.field() + ": " + p.message()).toList();
        };
        assertThat(check.apply("SELECT tier FROM customer WHERE phone = ${caller} AND pin = ${pin}")).isEmpty();
        assertThat(check.apply("  -- the tier\nWITH c AS (SELECT * FROM customer) SELECT tier FROM c WHERE phone = ${caller};")).isEmpty();
        assertThat(check.apply("SELECT tier FROM customer WHERE note = 'it''s; fine' AND phone = ${caller}")).isEmpty();
        assertThat(check.apply("DELETE FROM customer")).containsExactly("d.query: only a SELECT (or WITH … SELECT) query");
        assertThat(check.apply("SELECT 1; DROP TABLE customer")).containsExactly("d.query: a single statement (no ';' between statements)");
        assertThat(check.apply("WITH x AS (DELETE FROM customer RETURNING *) SELECT * FROM x")).containsExactly("d.query: only reads: DELETE is not allowed");
        assertThat(check.apply("SELECT * INTO copy FROM customer")).containsExactly("d.query: only reads: INTO is not allowed");
        assertThat(check.apply("SELECT tier FROM customer FOR UPDATE")).containsExactly("d.query: only reads: FOR UPDATE is not allowed");
        assertThat(check.apply("SELECT nextval('ticket_seq') AS n")).containsExactly("d.query: only reads: NEXTVAL is not allowed");
        assertThat(check.apply("SELECT NEXT VALUE FOR ticket_seq AS n")).containsExactly("d.query: only reads: NEXT VALUE FOR is not allowed");
        assertThat(check.apply("SELECT x FROM (SELECT CSVWRITE('/tmp/x', 'SELECT 1') AS x) t")).containsExactly("d.query: only reads: CSVWRITE is not allowed");
        assertThat(check.apply("SELECT * FROM FINAL TABLE (INSERT INTO customer (tier) VALUES ('x'))")).singleElement().asString().startsWith("d.query: ");
        assertThat(check.apply("INSERT INTO customer (tier) VALUES (${caller})")).containsExactly("d.query: only a SELECT (or WITH … SELECT) query");
        assertThat(check.apply("CREATE TABLE x (a INT)")).containsExactly("d.query: only a SELECT (or WITH … SELECT) query");
        assertThat(check.apply("SELECT tier FROM customer WHERE phone = ${caller} AND note = 'a ${caller} b'"))
                .containsExactly("d.query: write ${variable} without quotes: it is bound as a parameter");
        assertThat(check.apply("SELECT tier FROM customer WHERE phone = '${caller}'")).containsExactly("d.query: write ${variable} without quotes: it is bound as a parameter");
        assertThat(check.apply("SELECT tier FROM customer WHERE phone = ${nobody}")).containsExactly("d.query: unknown variable nobody");
        assertThat(check.apply("SELECT 'unclosed FROM customer")).singleElement().asString().startsWith("d.query: not SQL that can be read: ");
        assertThat(check.apply("")).containsExactly("d.query: required");
        assertThat(problems("{'start':'d','nodes':{'d':{'type':'db','source':'crm','query':'SELECT 1 AS x','found':'b','notFound':'b'},'b':{'type':'hangup'}}}"))
                .contains("d.source: no such data source", "d.error: not connected");
    }

    @Test
    void aDatabaseQuerysVariablesBecomeParametersInOrder() {
        var b = DataSources.bind("SELECT a FROM t WHERE x = ${caller} AND y = ${pin} OR z = ${caller}");
        assertThat(b.sql()).isEqualTo("SELECT a FROM t WHERE x = ? AND y = ? OR z = ?");
        assertThat(b.variables()).containsExactly("caller", "pin", "caller");
    }
}
