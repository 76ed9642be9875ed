package dev.hotline.cluster;

import dev.hotline.domain.DomainException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OPS-3 (docs/adr/0004-nodes-behind-kamailio.md): this node among the Hotline nodes sharing one PostgreSQL. It renews its
 * lease in {@code cluster_node} every third of the lease, claims the enterprises nobody serves (unplaced, or placed on a node
 * whose lease ran out) when it has the fewest, and closes the calls the previous owner left open before serving a claimed
 * enterprise. It serves an enterprise only while the placement names it and its last renewal is younger than the lease less
 * one heartbeat (self-fencing: the claimer waits for the whole lease by the database's clock). The operator moves an
 * enterprise to a named live node ({@link #move}): its node stops serving it and hands it over at its next heartbeat, its calls
 * in progress going on there to their end (drained, {@code cluster_drain}); the named node takes it up at its next heartbeat
 * or lookup.
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);

    /**
     * What a claimer does before it serves an enterprise: close the calls the previous owner ({@code previousNode}, null:
     * never placed) left without a record.
     */
    @FunctionalInterface
    public interface Takeover {
        /** Closes the calls of {@code enterpriseId} left without a record that {@code which} selects (by call id); returns how many. */
        int close(long enterpriseId, Predicate<String> which);
    }

    /** This node's calls in progress, for a hand-over. */
    @FunctionalInterface
    public interface CallsInProgress {
        /**
         * The ids of this node's calls of {@code enterpriseId} in progress, returned once every call of it that has ended is
         * recorded (so that the node taking the enterprise up finds every other call of it closed or listed).
         */
        Set<String> of(long enterpriseId);
    }

    /** A node as stored: where Kamailio and browsers reach it, and whether its lease runs. */
    public record Node(String id, String sipUri, String httpUrl, Instant leaseUntil, boolean live) {}

    /**
     * Where an enterprise is served, as the operator sees it: {@code id} (the enterprise's), {@code node} (null: never placed),
     * {@code movingTo} while an operator's move is under way (the node it goes to), and how many calls a node that handed it
     * over still drains.
     */
    public record Placement(long id, String code, String name, String node, String movingTo, long epoch, int drainingCalls) {}

    /** A placement on this node as a heartbeat reads it. */
    private record Placed(long epoch, String movingTo) {}

    private final Jdbi jdbi;
    private final String nodeId;
    private final String sipUri;
    private volatile String httpUrl;
    private final Duration lease;
    private final Duration heartbeat;
    private final Takeover takeover;
    private final CallsInProgress callsInProgress;
    private final ScheduledExecutorService timer;
    /** The enterprises this node serves (id → epoch it claimed), replaced whole by each heartbeat. */
    private volatile Map<Long, Long> served = Map.of();
    /** {@link System#nanoTime()} before the last successful renewal was sent; 0: never. */
    private volatile long renewedAtNanos;

    public ClusterNode(Jdbi jdbi, String nodeId, String sipUri, String httpUrl, Duration lease, Takeover takeover,
                       CallsInProgress callsInProgress) {
        this.jdbi = jdbi;
        this.nodeId = nodeId;
        this.sipUri = sipUri;
        this.httpUrl = httpUrl;
        this.lease = lease;
        this.heartbeat = lease.dividedBy(3);
        this.takeover = takeover;
        this.callsInProgress = callsInProgress;
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
     * claims it at once if it is the least loaded live node, so a lookup never waits for the next heartbeat. Empty too while an
     * operator's move has handed the enterprise over and the node it went to has not taken it up yet (when that is this node,
     * it takes it up now).
     */
    public Optional<Node> ownerOf(long enterpriseId) {
        record Owner(Node node, String movingTo) {}
        Optional<Owner> owner = jdbi.withHandle(h -> {
            Instant now = dbNow(h);
            return h.createQuery("""
                            SELECT n.node_id, n.sip_uri, n.http_url, n.lease_until, p.moving_to FROM enterprise_placement p
                            JOIN cluster_node n ON n.node_id = p.node_id WHERE p.enterprise_id = :e""")
                    .bind("e", enterpriseId)
                    .map((rs, ctx) -> new Owner(node(rs, now), rs.getString("moving_to"))).findOne();
        });
        if (owner.isPresent() && owner.get().node().live()) {
            Node n = owner.get().node();
            if (!n.id().equals(owner.get().movingTo())) return Optional.of(n);
            // Handed over by a move, not taken up yet: nobody serves it.
            if (!n.id().equals(nodeId)) return Optional.empty();
            beat();
            return serves(enterpriseId) ? Optional.of(self()) : Optional.empty();
        }
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

    /** Every enterprise with the node serving it, a move under way and the calls still drained elsewhere. */
    public List<Placement> placements() {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT e.id, e.code, e.name, p.node_id, p.moving_to, p.epoch,
                        (SELECT COUNT(*) FROM cluster_drain d WHERE d.enterprise_id = e.id) AS draining
                        FROM enterprise e LEFT JOIN enterprise_placement p ON p.enterprise_id = e.id ORDER BY e.id""")
                .map((rs, ctx) -> new Placement(rs.getLong("id"), rs.getString("code"), rs.getString("name"), rs.getString("node_id"),
                        rs.getString("moving_to"), rs.getLong("epoch"), rs.getInt("draining"))).list());
    }

    /** The placement of one enterprise (404 when there is no such enterprise). */
    public Placement placement(long enterpriseId) {
        return placements().stream().filter(p -> p.id() == enterpriseId).findFirst()
                .orElseThrow(() -> DomainException.notFound("enterprise"));
    }

    /**
     * The operator's move of {@code enterpriseId} to live node {@code to}, in the caller's transaction: placed there now when no
     * live node serves it (the node taking it up closes the calls left open, as a takeover does); else marked, and the node
     * serving it hands it over at its next heartbeat (at once when it is this node: call {@link #beat()} after the commit).
     * Nothing changes when it is served there already. Refused: an unknown enterprise or node (404), a node whose lease ran
     * out (409), another move of the enterprise under way (409).
     */
    public void move(Handle h, long enterpriseId, String to) {
        Instant now = dbNow(h);
        if (h.createQuery("SELECT COUNT(*) FROM enterprise WHERE id = :e").bind("e", enterpriseId).mapTo(Integer.class).one() == 0) {
            throw DomainException.notFound("enterprise");
        }
        Optional<Instant> leaseOfTarget = h.createQuery("SELECT lease_until FROM cluster_node WHERE node_id = :n").bind("n", to)
                .map((rs, ctx) -> rs.getTimestamp(1).toInstant()).findOne();
        if (leaseOfTarget.isEmpty()) throw DomainException.notFound("node");
        if (leaseOfTarget.get().isBefore(now)) {
            throw DomainException.conflict("node " + to + " is not live (its lease ran out at " + leaseOfTarget.get() + ")", "node", "not live");
        }
        record Current(String node, long epoch, String movingTo) {}
        Optional<Current> current = h.createQuery("SELECT node_id, epoch, moving_to FROM enterprise_placement WHERE enterprise_id = :e")
                .bind("e", enterpriseId).map((rs, ctx) -> new Current(rs.getString(1), rs.getLong(2), rs.getString(3))).findOne();
        if (current.isEmpty()) {
            h.createUpdate("""
                            INSERT INTO enterprise_placement (enterprise_id, node_id, epoch, claimed_at, moving_to)
                            VALUES (:e, :to, 1, :now, :to)""")
                    .bind("e", enterpriseId).bind("to", to).bind("now", now).execute();
            return;
        }
        Current c = current.get();
        if (c.movingTo() != null) {
            if (c.movingTo().equals(to)) return;
            throw DomainException.conflict("enterprise " + enterpriseId + " is being moved to node " + c.movingTo() + " already",
                    "node", "a move is under way");
        }
        if (c.node().equals(to)) return;
        // Locks the owner's row and re-checks its lease, as a claim does: a dead owner's enterprise is placed on the target now.
        int ownerDead = h.createUpdate("UPDATE cluster_node SET lease_until = lease_until WHERE node_id = :n AND lease_until < :now")
                .bind("n", c.node()).bind("now", now).execute();
        boolean ownerExists = h.createQuery("SELECT COUNT(*) FROM cluster_node WHERE node_id = :n").bind("n", c.node())
                .mapTo(Integer.class).one() > 0;
        int changed;
        if (ownerDead == 1 || !ownerExists) {
            changed = h.createUpdate("""
                            UPDATE enterprise_placement SET node_id = :to, moving_to = :to, epoch = epoch + 1, claimed_at = :now
                            WHERE enterprise_id = :e AND node_id = :from AND epoch = :epoch AND moving_to IS NULL""")
                    .bind("to", to).bind("now", now).bind("e", enterpriseId).bind("from", c.node()).bind("epoch", c.epoch()).execute();
        } else {
            changed = h.createUpdate("""
                            UPDATE enterprise_placement SET moving_to = :to
                            WHERE enterprise_id = :e AND node_id = :from AND epoch = :epoch AND moving_to IS NULL""")
                    .bind("to", to).bind("e", enterpriseId).bind("from", c.node()).bind("epoch", c.epoch()).execute();
        }
        if (changed != 1) throw DomainException.conflict("the placement of enterprise " + enterpriseId + " changed meanwhile: try again");
    }

    private Node self() {
        return new Node(nodeId, sipUri, httpUrl, null, true);
    }

    private static Node node(java.sql.ResultSet rs, Instant now) throws java.sql.SQLException {
        Instant until = rs.getTimestamp("lease_until").toInstant();
        return new Node(rs.getString("node_id"), rs.getString("sip_uri"), rs.getString("http_url"), until, !until.isBefore(now));
    }

    /**
     * One heartbeat: renew the lease, read what is placed here, hand over what the operator moves away, take up what is placed
     * here and not served yet, look after drained calls, claim orphans. Also called at once after a move that concerns this
     * node, and by a lookup of an enterprise handed over to it.
     */
    public synchronized void beat() {
        long sent = System.nanoTime();
        boolean firstBeat = renewedAtNanos == 0;
        Map<Long, Placed> mine = jdbi.inTransaction(h -> {
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
        // The calls a previous run of this node drained died with it: closed before anything is taken up.
        if (firstBeat) closeDrained(false);
        Map<Long, Long> current = served;
        Map<Long, Long> keep = new HashMap<>();
        for (var e : mine.entrySet()) {
            String to = e.getValue().movingTo();
            if (to != null && !to.equals(nodeId)) {
                handOver(e.getKey(), e.getValue().epoch(), to);
            } else if (current.containsKey(e.getKey()) && to == null) {
                keep.put(e.getKey(), e.getValue().epoch());
            } else {
                // Placed here and not taken up by this run: the previous run of this node died, or a move brought it here.
                claim(e.getKey(), e.getValue().epoch(), nodeId).ifPresent(epoch -> keep.put(e.getKey(), epoch));
            }
        }
        for (Long lost : current.keySet()) {
            if (!mine.containsKey(lost)) log.warn("node {} no longer serves enterprise {}: another node claimed it", nodeId, lost);
        }
        served = Map.copyOf(keep);
        renewedAtNanos = sent;
        claimOrphans();
        closeDrained(true);
    }

    /**
     * Hands {@code enterpriseId} over to node {@code to} (the operator moves it): stops serving it first (no new calls, logins or
     * registrations here from now), lists the calls of it still in progress here, which go on to their end and are recorded
     * here, then places it on {@code to}, which takes it up.
     */
    private void handOver(long enterpriseId, long epoch, String to) {
        Map<Long, Long> without = new HashMap<>(served);
        without.remove(enterpriseId);
        served = Map.copyOf(without);
        Set<String> calls = callsInProgress.of(enterpriseId);
        int moved = jdbi.inTransaction(h -> {
            Instant now = dbNow(h);
            int n = h.createUpdate("""
                            UPDATE enterprise_placement SET node_id = :to, epoch = epoch + 1, claimed_at = :now
                            WHERE enterprise_id = :e AND node_id = :me AND epoch = :epoch AND moving_to = :to""")
                    .bind("to", to).bind("now", now).bind("e", enterpriseId).bind("me", nodeId).bind("epoch", epoch).execute();
            if (n == 1) {
                var insert = h.prepareBatch("INSERT INTO cluster_drain (node_id, enterprise_id, call_id) VALUES (:me, :e, :call)");
                for (String call : calls) insert.bind("me", nodeId).bind("e", enterpriseId).bind("call", call).add();
                if (!calls.isEmpty()) insert.execute();
            }
            return n;
        });
        if (moved == 1) {
            log.warn("node {} handed enterprise {} over to node {} (operator's move); {} call(s) in progress go on here to their end",
                    nodeId, enterpriseId, to, calls.size());
        }
    }

    /**
     * Drained calls: a row goes once its call has a record. With {@code ofDeadNodes}, the calls drained by nodes whose lease
     * ran out, of the enterprises this node serves, are closed (their node died with them); else those this node's previous run
     * drained (at start).
     */
    private void closeDrained(boolean ofDeadNodes) {
        record Drained(String node, long enterpriseId, String callId) {}
        List<Drained> dead = jdbi.withHandle(h -> {
            h.createUpdate("""
                    DELETE FROM cluster_drain WHERE node_id = :me
                    AND EXISTS (SELECT 1 FROM call_record r WHERE r.call_id = cluster_drain.call_id)""").bind("me", nodeId).execute();
            String select = "SELECT d.node_id, d.enterprise_id, d.call_id FROM cluster_drain d ";
            var query = ofDeadNodes
                    ? h.createQuery(select + "LEFT JOIN cluster_node n ON n.node_id = d.node_id WHERE n.node_id IS NULL OR n.lease_until < :now")
                            .bind("now", dbNow(h))
                    : h.createQuery(select + "WHERE d.node_id = :me").bind("me", nodeId);
            return query.map((rs, ctx) -> new Drained(rs.getString(1), rs.getLong(2), rs.getString(3))).list();
        });
        Map<Long, List<Drained>> byEnterprise = dead.stream()
                .filter(d -> !ofDeadNodes || served.containsKey(d.enterpriseId()))
                .collect(Collectors.groupingBy(Drained::enterpriseId));
        for (var e : byEnterprise.entrySet()) {
            Set<String> ids = e.getValue().stream().map(Drained::callId).collect(Collectors.toSet());
            int closed = takeover.close(e.getKey(), ids::contains);
            jdbi.useHandle(h -> {
                var delete = h.prepareBatch("DELETE FROM cluster_drain WHERE node_id = :n AND call_id = :call");
                for (Drained d : e.getValue()) delete.bind("n", d.node()).bind("call", d.callId()).add();
                delete.execute();
            });
            log.warn("node {} closed {} call(s) of enterprise {} that a dead node was draining", nodeId, closed, e.getKey());
        }
    }

    /** Claims the enterprises nobody serves while this node is the live node with the fewest (ties: the lowest id). */
    private synchronized void claimOrphans() {
        record Orphan(long enterpriseId, Long epoch, String node, String movingTo) {}
        List<Orphan> orphans = new ArrayList<>();
        Map<String, Integer> load = new HashMap<>();
        jdbi.useHandle(h -> {
            Instant now = dbNow(h);
            h.createQuery("""
                            SELECT e.id, p.epoch, p.node_id, p.moving_to FROM enterprise e
                            LEFT JOIN enterprise_placement p ON p.enterprise_id = e.id
                            LEFT JOIN cluster_node n ON n.node_id = p.node_id
                            WHERE p.enterprise_id IS NULL OR n.node_id IS NULL OR n.lease_until < :now ORDER BY e.id""")
                    .bind("now", now)
                    .map((rs, ctx) -> new Orphan(rs.getLong(1), (Long) rs.getObject(2, Long.class), rs.getString(3), rs.getString(4)))
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
            // An operator's move names the node: while it is live it claims the enterprise, whatever its load.
            boolean named = nodeId.equals(o.movingTo());
            if (!named && o.movingTo() != null && load.containsKey(o.movingTo())) continue;
            String least = load.entrySet().stream()
                    .min(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey())).orElseThrow().getKey();
            if (!named && !least.equals(nodeId)) continue;
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
     * unplaced) and the node it names is not live (or is this one: a previous run, or an operator's move brought it here), then
     * lets {@link Takeover} close the calls of it left open, except those a live node drains. Empty when another node was
     * faster or the owner renewed meanwhile.
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
                                UPDATE enterprise_placement SET node_id = :me, epoch = epoch + 1, claimed_at = :now, moving_to = NULL
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
            // Also for an enterprise never placed: calls a single server left open before it became a cluster node. The calls a
            // live node drains (it handed the enterprise over) are its own to record.
            Set<String> drained = jdbi.withHandle(h -> h.createQuery("""
                            SELECT d.call_id FROM cluster_drain d JOIN cluster_node n ON n.node_id = d.node_id
                            WHERE d.enterprise_id = :e AND n.lease_until >= :now""")
                    .bind("e", enterpriseId).bind("now", dbNow(h)).mapTo(String.class).collect(Collectors.toSet()));
            takeover.close(enterpriseId, call -> !drained.contains(call));
        }
        return epoch;
    }

    private Map<Long, Placed> placedHere(Handle h) {
        Map<Long, Placed> m = new HashMap<>();
        h.createQuery("SELECT enterprise_id, epoch, moving_to FROM enterprise_placement WHERE node_id = :me").bind("me", nodeId)
                .map((rs, ctx) -> Map.entry(rs.getLong(1), new Placed(rs.getLong(2), rs.getString(3))))
                .forEach(e -> m.put(e.getKey(), e.getValue()));
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
