package dev.hotline.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hotline.domain.DomainException;
import dev.hotline.store.Database;
import dev.hotline.testing.TestDatabases;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * OPS-3, the operator's move of an enterprise between two {@link ClusterNode}s on one PostgreSQL schema, driven beat by beat
 * (no timers): the refusals, the hand-over by the old node (it stops serving first and lists its calls in progress as
 * drained), the new node taking it up without closing the drained calls, and those calls closed by the new node once the old
 * one dies before they end. The nodes' calls are stand-ins here; {@code KamailioNodesPostgresTest} moves real calls.
 */
class ClusterMovesPostgresTest {
    /** Long enough that a node still serves between the test's steps (a lease less a heartbeat after its last beat). */
    static final Duration LEASE = Duration.ofSeconds(6);

    /** What a node's {@link ClusterNode.Takeover} was asked to close: the enterprise and the call ids it selected. */
    record Closing(long enterpriseId, Set<String> selected) {}

    @Test
    void aMovedEnterpriseIsHandedOverItsCallsDrainedAndClosedOnlyWhenTheirNodeDies() {
        try (Database db = new Database(TestDatabases.fresh(TestDatabases.Kind.POSTGRES), "", "")) {
            Jdbi jdbi = db.jdbi();
            long e1 = enterprise(jdbi, "e1");
            long e2 = enterprise(jdbi, "e2");
            List<Closing> closedByA = new CopyOnWriteArrayList<>();
            List<Closing> closedByB = new CopyOnWriteArrayList<>();
            Map<Long, Set<String>> callsAtA = new ConcurrentHashMap<>();
            Map<Long, Set<String>> unfinished = new ConcurrentHashMap<>(); // the calls without a record, by enterprise
            ClusterNode a = node(jdbi, "a", unfinished, closedByA, callsAtA);
            ClusterNode b = node(jdbi, "b", unfinished, closedByB, Map.of());
            a.beat(); // the only node: claims every enterprise
            b.beat();
            unfinished.put(e1, Set.of("drained-1", "left-open"));
            unfinished.put(e2, Set.of("e2-open"));
            assertThat(a.serves(e1)).isTrue();
            assertThat(a.serves(e2)).isTrue();
            assertThat(b.serves(e1)).isFalse();

            // Refusals: unknown enterprise or node; a node whose lease ran out is tested in KamailioNodesPostgresTest.
            assertThatThrownBy(() -> jdbi.useTransaction(h -> a.move(h, 999_999, "b"))).isInstanceOf(DomainException.class)
                    .hasMessageContaining("enterprise not found");
            assertThatThrownBy(() -> jdbi.useTransaction(h -> a.move(h, e1, "z"))).isInstanceOf(DomainException.class)
                    .hasMessageContaining("node not found");

            jdbi.useTransaction(h -> a.move(h, e1, "b"));
            assertThat(b.placement(e1).movingTo()).isEqualTo("b");
            assertThat(b.placement(e1).node()).isEqualTo("a");
            assertThatThrownBy(() -> jdbi.useTransaction(h -> b.move(h, e1, "a"))).as("another move under way")
                    .isInstanceOf(DomainException.class).hasMessageContaining("being moved");
            jdbi.useTransaction(h -> b.move(h, e1, "b")); // the same move again: nothing changes
            // Until "a" hands it over, "a" serves it and lookups name "a".
            assertThat(a.serves(e1)).isTrue();
            assertThat(b.ownerOf(e1)).map(ClusterNode.Node::id).contains("a");

            // "a" hands it over at its heartbeat, listing its call in progress: from then nobody serves it until "b" takes it up.
            callsAtA.put(e1, Set.of("drained-1"));
            a.beat();
            assertThat(a.serves(e1)).isFalse();
            assertThat(a.serves(e2)).isTrue();
            assertThat(b.placement(e1).node()).isEqualTo("b");
            assertThat(b.placement(e1).drainingCalls()).isEqualTo(1);
            assertThat(a.ownerOf(e1)).as("handed over, not taken up yet: no node (503)").isEmpty();
            assertThat(b.serves(e1)).isFalse();
            // A lookup at "b" makes it take it up at once, closing what was left open there but not the drained call.
            assertThat(b.ownerOf(e1)).map(ClusterNode.Node::id).contains("b");
            assertThat(b.serves(e1)).isTrue();
            assertThat(b.placement(e1).movingTo()).isNull();
            assertThat(closedByB).containsExactly(new Closing(e1, Set.of("left-open")));
            assertThat(a.ownerOf(e1)).map(ClusterNode.Node::id).contains("b");
            a.beat();
            b.beat();
            assertThat(closedByB).as("a live node's drained call is its own").hasSize(1);
            assertThat(b.placement(e1).drainingCalls()).isEqualTo(1);

            // "a" dies with the drained call in progress: "b" takes over e2 and closes the drained call of e1.
            await("a's lease ran out").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                b.beat();
                return b.nodes().stream().noneMatch(n -> n.id().equals("a") && n.live());
            });
            await("b serves e2").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                b.beat();
                return b.serves(e2) && b.placement(e1).drainingCalls() == 0;
            });
            assertThat(closedByB).containsExactlyInAnyOrder(new Closing(e1, Set.of("left-open")), new Closing(e1, Set.of("drained-1")),
                    new Closing(e2, Set.of("e2-open")));
            assertThat(unfinished.values()).allSatisfy(calls -> assertThat(calls).isEmpty());
            assertThat(closedByA).as("a never closed a call: it took nothing over").isEmpty();

            // The operator cannot move an enterprise to a dead node.
            assertThatThrownBy(() -> jdbi.useTransaction(h -> b.move(h, e2, "a"))).isInstanceOf(DomainException.class)
                    .hasMessageContaining("not live");
        }
    }

    /** A node whose takeover closes, of {@code unfinished}, the calls it is told to (and notes it in {@code closed}). */
    static ClusterNode node(Jdbi jdbi, String id, Map<Long, Set<String>> unfinished, List<Closing> closed, Map<Long, Set<String>> calls) {
        return new ClusterNode(jdbi, id, "sip:" + id + ".example:5060", "http://" + id + ".example", LEASE, (enterpriseId, which) -> {
            Set<String> open = unfinished.getOrDefault(enterpriseId, Set.of());
            Set<String> selected = Set.copyOf(open.stream().filter(which).toList());
            if (!selected.isEmpty()) {
                closed.add(new Closing(enterpriseId, selected));
                unfinished.put(enterpriseId, Set.copyOf(open.stream().filter(c -> !selected.contains(c)).toList()));
            }
            return selected.size();
        }, enterpriseId -> calls.getOrDefault(enterpriseId, Set.of()));
    }

    static long enterprise(Jdbi jdbi, String code) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO enterprise (code, name, sip_domain, created_at) VALUES (:c, :c, :d, CURRENT_TIMESTAMP)""")
                .bind("c", code).bind("d", code + ".example").executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }
}
