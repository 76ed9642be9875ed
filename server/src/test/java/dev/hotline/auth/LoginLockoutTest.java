package dev.hotline.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.login.LoginThrottle;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * SEC-4 through the HTTP API: 5 failed logins lock an account, 20 from one address lock that address
 * for every account of every enterprise, even with the right password. A server of its own for each
 * test, since a locked address (all tests come from 127.0.0.1) would lock the other tests out too.
 */
class LoginLockoutTest {
    static ApiClient.Response login(TestServer server, String enterprise, String user, String password) {
        return new ApiClient(server.baseUrl()).login(enterprise, user, password);
    }

    @Test
    void twentyFailuresFromOneAddressAcrossAccountsLockThatAddress() {
        try (TestServer server = TestServer.start()) {
            // 19 failures spread over accounts (none reaches its own limit of 5) and enterprises, known or not.
            String[][] accounts = {{"demo", "agent1"}, {"demo", "agent2"}, {"demo", "nobody"}, {"system", "operator"}, {"no-such", "x"}};
            int failures = 0;
            for (int round = 0; failures < LoginThrottle.MAX_PER_ADDRESS - 1; round++) {
                for (String[] a : accounts) {
                    if (failures == LoginThrottle.MAX_PER_ADDRESS - 1) break;
                    var r = login(server, a[0], a[1], "wrong-" + round);
                    assertThat(r.status()).as("failure %d (%s/%s) is an ordinary refusal", failures + 1, a[0], a[1]).isEqualTo(401);
                    failures++;
                }
            }
            assertThat(LoginThrottle.MAX_PER_ACCOUNT).as("no account reached its own limit").isGreaterThan(failures / accounts.length);
            // One short of the address limit: a right password still gets in (and a success does not clear the address).
            assertThat(login(server, "demo", "admin", TestServer.DEMO_PASSWORD).status()).isEqualTo(200);

            assertThat(login(server, "demo", "agent3", "wrong-last").status()).as("the 20th failure").isEqualTo(401);
            for (String[] ok : new String[][] {{"demo", "admin"}, {"demo", "lead"}, {"system", "operator"}}) {
                var locked = login(server, ok[0], ok[1], TestServer.DEMO_PASSWORD);
                assertThat(locked.status()).as("%s/%s from the locked address", ok[0], ok[1]).isEqualTo(429);
                assertThat(locked.code()).isEqualTo("locked_out");
                assertThat(locked.json().get("message").asText()).contains("too many failed logins");
            }
        }
    }

    @Test
    void fiveFailuresLockOneAccountOnlyAndFourDoNot() {
        try (TestServer server = TestServer.start()) {
            for (int i = 0; i < LoginThrottle.MAX_PER_ACCOUNT - 1; i++) {
                assertThat(login(server, "demo", "agent1", "bad-" + i).status()).isEqualTo(401);
            }
            assertThat(login(server, "demo", "agent1", TestServer.DEMO_PASSWORD).status()).as("4 failures: still allowed").isEqualTo(200);
            // A success clears the account's count: five more are needed to lock it.
            for (int i = 0; i < LoginThrottle.MAX_PER_ACCOUNT; i++) {
                assertThat(login(server, "demo", "AGENT1", "bad-again-" + i).status()).as("failure %d", i + 1).isEqualTo(401);
            }
            var locked = login(server, "demo", "agent1", TestServer.DEMO_PASSWORD);
            assertThat(locked.status()).as("locked whatever the case of the name").isEqualTo(429);
            assertThat(locked.code()).isEqualTo("locked_out");
            assertThat(login(server, "demo", "agent2", TestServer.DEMO_PASSWORD).status()).as("another account").isEqualTo(200);
        }
    }
}
