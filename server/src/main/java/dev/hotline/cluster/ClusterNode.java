package dev.hotline.cluster;

import dev.hotline.domain.DomainException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OPS-3 (docs/adr/0004-nodes-behind-kamailio.md): this node among the Hotline nodes sharing one PostgreSQL. It renews its
 * lease in {@code cluster_node} every third of the lease, claims the enterprises nobody serves (unplaced, or placed on a node
 * whose lease ran out) when it has the fewest, and closes the calls the previous owner left open before serving a claimed
 * enterprise. It serves an enterprise only while the placement names it and its last renewal is younger than the lease less
 * one heartbeat (self-fencing: the claimer waits for the whole lease by the database's clock).
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);

    /**
     * What a claimer does before it serves an enterprise: close the calls the previous owner ({@code previousNode}, null:
     * never placed) left without a record.
     */
    @FunctionalInterface
    public interface Takeover {
        void adopt(long enterpriseId, String previousNode);
    }

    /** A node as stored: where Kamailio and browsers reach it, and whether its lease runs. */
    public record Node(String id, String sipUri, String httpUrl, Instant leaseUntil, boolean live) {}

    private final Jdbi jdbi;
    private final String nodeId;
    private final String sipUri;
    private volatile String httpUrl;
    private final Duration lease;
    private final Duration heartbeat;
    private final Takeover takeover;
    private final ScheduledExecutorService timer;
    /** The enterprises this node serves (id → epoch it claimed), replaced whole by each heartbeat. */
    private volatile Map<Long, Long> served = Map.of();
    /** {@link System#nanoTime()} before the last successful renewal was sent; 0: never. */
    private volatile long renewedAtNanos;

    public ClusterNode(Jdbi jdbi, String nodeId, String sipUri, String httpUrl, Duration lease, Takeover takeover) {
        this.jdbi = jdbi;
        this.nodeId = nodeId;
        this.sipUri = sipUri;
        this.httpUrl = httpUrl;
        this.lease = lease;
        this.heartbeat = lease.dividedBy(3);
        this.takeover = takeover;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cluster-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    /** Joins: registers, adopts what is still placed here from a previous run, claims orphans; then beats on a thread of its own. */
    public ClusterNode start() {
        beat();
        timer.scheduleWithFixedDelay(() -> {
            try {
                beat();
            } catch (RuntimeException e) {
                log.error("cluster heartbeat of node {} failed (the node stops serving when its lease runs out)", nodeId, e);
            }
        }, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** The HTTP URL browsers reach this node at (known once the web server listens); before {@link #start()}. */
    public ClusterNode httpUrl(String url) {
        this.httpUrl = url;
        return this;
    }

    public String nodeId() {
        return nodeId;
    }

    /** This node serves {@code enterpriseId} now (read on the call path: memory only). */
    public boolean serves(long enterpriseId) {
        long at = renewedAtNanos;
        return at != 0 && System.nanoTime() - at < lease.minus(heartbeat).toNanos() && served.containsKey(enterpriseId);
    }

    /**
     * The live node serving {@code enterpriseId}; when none does (never placed, or its node's lease ran out) this node
     * claims it at once if it is the least loaded live node, so a lookup never waits for the next heartbeat.
     */
    public Optional<Node> ownerOf(long enterpriseId) {
        Optional<Node> owner = jdbi.withHandle(h -> {
            Instant now = dbNow(h);
            return h.createQuery("""
                            SELECT n.node_id, n.sip_uri, n.http_url, n.lease_until FROM enterprise_placement p
                            JOIN cluster_node n ON n.node_id = p.node_id WHERE p.enterprise_id = :e""")
                    .bind("e", enterpriseId)
                    .map((rs, ctx) -> node(rs, now)).findOne();
        });
        if (owner.isPresent() && owner.get().live()) return owner;
        if (serves(enterpriseId)) return Optional.of(self());
        claimOrphans();
        return served.containsKey(enterpriseId) ? Optional.of(self()) : Optional.empty();
    }

    /**
     * Where HTTP for {@code enterpriseId} belongs: empty when this node serves it, else the HTTP URL of the live node that
     * does (browsers and API clients are sent there). Refused (503) while no live node serves it (a dead owner's lease runs).
     */
    public Optional<String> httpHomeOf(long enterpriseId) {
        if (serves(enterpriseId)) return Optional.empty();
        Optional<Node> owner = ownerOf(enterpriseId);
        if (owner.isPresent() && owner.get().id().equals(nodeId) && serves(enterpriseId)) return Optional.empty();
        if (owner.isEmpty() || owner.get().id().equals(nodeId) || owner.get().httpUrl() == null || owner.get().httpUrl().isBlank()) {
            throw DomainException.unavailable("no_node", "no live node serves enterprise " + enterpriseId + " yet: try again in a few seconds");
        }
        return Optional.of(owner.get().httpUrl());
    }

    /** Every node stored, live or not. */
    public List<Node> nodes() {
        return jdbi.withHandle(h -> {
            Instant now = dbNow(h);
            return h.createQuery("SELECT node_id, sip_uri, http_url, lease_until FROM cluster_node ORDER BY node_id")
                    .map((rs, ctx) -> node(rs, now)).list();
        });
    }

    private Node self() {
        return new Node(nodeId, sipUri, httpUrl, null, true);
    }

    private static Node node(java.sql.ResultSet rs, Instant now) throws java.sql.SQLException {
        Instant until = rs.getTimestamp("lease_until").toInstant();
        return new Node(rs.getString("node_id"), rs.getString("sip_uri"), rs.getString("http_url"), until, !until.isBefore(now));
    }

    /** One heartbeat: renew the lease, read what is placed here, claim orphans. */
    synchronized void beat() {
        long sent = System.nanoTime();
        Map<Long, Long> mine = jdbi.inTransaction(h -> {
            Instant now = dbNow(h);
            Instant until = now.plus(lease);
            int n = h.createUpdate("UPDATE cluster_node SET lease_until = :until, sip_uri = :sip, http_url = :http WHERE node_id = :me")
                    .bind("until", until).bind("sip", sipUri).bind("http", httpUrl).bind("me", nodeId).execute();
            if (n == 0) {
                h.createUpdate("""
                                INSERT INTO cluster_node (node_id, sip_uri, http_url, started_at, lease_until)
                                VALUES (:me, :sip, :http, :now, :until)""")
                        .bind("me", nodeId).bind("sip", sipUri).bind("http", httpUrl).bind("now", now).bind("until", until).execute();
            }
            return placedHere(h);
        });
        // A placement stored here that this run has not adopted yet (the previous run of this node died): adopt it.
        Map<Long, Long> current = served;
        Map<Long, Long> keep = new HashMap<>();
        for (var e : mine.entrySet()) {
            if (current.containsKey(e.getKey())) {
                keep.put(e.getKey(), e.getValue());
            } else {
                claim(e.getKey(), e.getValue(), nodeId).ifPresent(epoch -> keep.put(e.getKey(), epoch));
            }
        }
        for (Long lost : current.keySet()) {
            if (!mine.containsKey(lost)) log.warn("node {} no longer serves enterprise {}: another node claimed it", nodeId, lost);
        }
        served = Map.copyOf(keep);
        renewedAtNanos = sent;
        claimOrphans();
    }

    /** Claims the enterprises nobody serves while this node is the live node with the fewest (ties: the lowest id). */
    private synchronized void claimOrphans() {
        record Orphan(long enterpriseId, Long epoch, String node) {}
        List<Orphan> orphans = new ArrayList<>();
        Map<String, Integer> load = new HashMap<>();
        jdbi.useHandle(h -> {
            Instant now = dbNow(h);
            h.createQuery("""
                            SELECT e.id, p.epoch, p.node_id FROM enterprise e
                            LEFT JOIN enterprise_placement p ON p.enterprise_id = e.id
                            LEFT JOIN cluster_node n ON n.node_id = p.node_id
                            WHERE p.enterprise_id IS NULL OR n.node_id IS NULL OR n.lease_until < :now ORDER BY e.id""")
                    .bind("now", now)
                    .map((rs, ctx) -> new Orphan(rs.getLong(1), (Long) rs.getObject(2, Long.class), rs.getString(3)))
                    .forEach(orphans::add);
            h.createQuery("""
                            SELECT n.node_id, COUNT(p.enterprise_id) FROM cluster_node n
                            LEFT JOIN enterprise_placement p ON p.node_id = n.node_id
                            WHERE n.lease_until >= :now GROUP BY n.node_id""")
                    .bind("now", now).map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2)))
                    .forEach(e -> load.put(e.getKey(), e.getValue()));
        });
        if (orphans.isEmpty() || renewedAtNanos == 0) return;
        load.putIfAbsent(nodeId, served.size());
        Map<Long, Long> claimed = new HashMap<>(served);
        for (Orphan o : orphans) {
            String least = load.entrySet().stream()
                    .min(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey())).orElseThrow().getKey();
            if (!least.equals(nodeId)) break;
            Optional<Long> epoch = claim(o.enterpriseId(), o.epoch(), o.node());
            if (epoch.isPresent()) {
                claimed.put(o.enterpriseId(), epoch.get());
                load.merge(nodeId, 1, Integer::sum);
            }
        }
        served = Map.copyOf(claimed);
    }

    /**
     * Moves the placement of {@code enterpriseId} here if it is still as seen ({@code seenEpoch} on {@code seenNode}; null:
     * unplaced) and the node it names is not live, then lets {@link Takeover} close what that node left open. Empty when
     * another node was faster or the owner renewed meanwhile.
     */
    private Optional<Long> claim(long enterpriseId, Long seenEpoch, String seenNode) {
        Optional<Long> epoch;
        try {
            epoch = jdbi.inTransaction(h -> {
                Instant now = dbNow(h);
                if (seenEpoch == null) {
                    h.createUpdate("INSERT INTO enterprise_placement (enterprise_id, node_id, epoch, claimed_at) VALUES (:e, :me, 1, :now)")
                            .bind("e", enterpriseId).bind("me", nodeId).bind("now", now).execute();
                    return Optional.of(1L);
                }
                if (!seenNode.equals(nodeId)) {
                    // Locks the previous owner's row and re-checks its lease: a renewal racing with this claim waits for it.
                    int stillDead = h.createUpdate("UPDATE cluster_node SET lease_until = lease_until WHERE node_id = :n AND lease_until < :now")
                            .bind("n", seenNode).bind("now", now).execute();
                    boolean exists = h.createQuery("SELECT COUNT(*) FROM cluster_node WHERE node_id = :n").bind("n", seenNode)
                            .mapTo(Integer.class).one() > 0;
                    if (stillDead == 0 && exists) return Optional.<Long>empty();
                }
                int moved = h.createUpdate("""
                                UPDATE enterprise_placement SET node_id = :me, epoch = epoch + 1, claimed_at = :now
                                WHERE enterprise_id = :e AND epoch = :seen AND node_id = :seenNode""")
                        .bind("me", nodeId).bind("now", now).bind("e", enterpriseId).bind("seen", seenEpoch).bind("seenNode", seenNode)
                        .execute();
                return moved == 1 ? Optional.of(seenEpoch + 1) : Optional.<Long>empty();
            });
        } catch (RuntimeException e) {
            log.info("node {} could not claim enterprise {} (another node did first?): {}", nodeId, enterpriseId, e.getMessage());
            return Optional.empty();
        }
        if (epoch.isPresent()) {
            log.warn("node {} claimed enterprise {} (epoch {}, previously {})", nodeId, enterpriseId, epoch.get(),
                    seenNode == null ? "unplaced" : seenNode);
            // Also for an enterprise never placed: calls a single server left open before it became a cluster node.
            takeover.adopt(enterpriseId, seenNode);
        }
        return epoch;
    }

    private Map<Long, Long> placedHere(Handle h) {
        Map<Long, Long> m = new HashMap<>();
        h.createQuery("SELECT enterprise_id, epoch FROM enterprise_placement WHERE node_id = :me").bind("me", nodeId)
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2))).forEach(e -> m.put(e.getKey(), e.getValue()));
        return m;
    }

    /** The database's clock: every lease is compared with it, never with a node's. */
    private static Instant dbNow(Handle h) {
        return h.createQuery("SELECT CURRENT_TIMESTAMP").map((rs, ctx) -> rs.getTimestamp(1).toInstant()).one();
    }

    /** Stops beating; the lease runs out and another node takes the enterprises over (a clean stop gives them up at once). */
    @Override
    public void close() {
        timer.shutdownNow();
        served = Map.of();
        try {
            jdbi.useHandle(h -> h.createUpdate("UPDATE cluster_node SET lease_until = :past WHERE node_id = :me")
                    .bind("past", Instant.EPOCH).bind("me", nodeId).execute());
        } catch (RuntimeException e) {
            log.warn("node {} could not give up its lease: {}", nodeId, e.getMessage());
        }
    }
}
