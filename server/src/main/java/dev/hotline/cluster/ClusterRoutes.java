package dev.hotline.cluster;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.domain.DomainException;
import dev.hotline.web.Api;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * OPS-3 over HTTP: the lookup Kamailio makes for every new dialog (which node serves the enterprise of this request, as a
 * SIP URI in plain text), and for the operator the nodes, where each enterprise is served, and moving an enterprise to a node.
 */
public final class ClusterRoutes {
    private ClusterRoutes() {}

    /** Finds the enterprise of a SIP request from its request user and domain and its From user and domain. */
    @FunctionalInterface
    public interface EnterpriseOfRequest {
        Optional<Long> find(String requestUser, String requestDomain, String fromUser, String fromDomain);
    }

    /** A node as the operator sees it. */
    public record NodeView(String id, String sipUri, String httpUrl, String leaseUntil, boolean live) {}

    /** The operator's move: the id of the live node the enterprise goes to. */
    public record MoveRequest(String node) {}

    public static void register(Api root, ClusterNode node, EnterpriseOfRequest enterprises, Jdbi jdbi, AuditLog audit) {
        Api r = root.tagged("operations");
        // Public: Kamailio has no login. It names only a node's SIP URI; nodes' HTTP ports belong on the internal network.
        r.get("/cluster/route", "OPS-3: the SIP URI of the node serving the enterprise of a SIP request"
                        + " (query ruser, rdomain, fuser, fdomain; 404: no enterprise; 503: no live node serves it yet)")
                .returns(String.class)
                .handlePublic(ctx -> {
                    Optional<Long> e = enterprises.find(ctx.queryParam("ruser"), ctx.queryParam("rdomain"), ctx.queryParam("fuser"),
                            ctx.queryParam("fdomain"));
                    if (e.isEmpty()) {
                        ctx.status(404).contentType("text/plain").result("no enterprise for this request");
                        return;
                    }
                    Optional<ClusterNode.Node> owner = node.ownerOf(e.get());
                    if (owner.isEmpty()) {
                        ctx.status(503).header("Retry-After", "2").contentType("text/plain").result("no live node serves enterprise " + e.get());
                        return;
                    }
                    ctx.contentType("text/plain").result(owner.get().sipUri());
                });
        r.get("/cluster/nodes", "OPS-3: the nodes sharing this database, their addresses and whether their lease runs (operator)")
                .returnsList(NodeView.class)
                .handle(Permission.ENTERPRISE_MANAGE, (ctx, me) -> {
                    List<NodeView> nodes = node.nodes().stream().map(n -> new NodeView(n.id(), n.sipUri(), n.httpUrl(),
                            n.leaseUntil().toString(), n.live())).toList();
                    ctx.json(nodes);
                });
        r.get("/cluster/placements", "OPS-3: each enterprise's node, a move under way (movingTo) and the calls a node that handed it"
                        + " over still drains (operator)")
                .returnsList(ClusterNode.Placement.class)
                .handle(Permission.ENTERPRISE_MANAGE, (ctx, me) -> ctx.json(node.placements()));
        r.put("/cluster/placements/{id}", "OPS-3: move an enterprise to a live node (operator). Its node stops taking its new calls"
                        + " and logins and hands it over at its next heartbeat; its calls in progress go on there to their end; the named"
                        + " node takes it up (404: no such enterprise or node; 409: the node is not live, or another move is under way)")
                .body(MoveRequest.class).returns(ClusterNode.Placement.class)
                .handle(Permission.ENTERPRISE_MANAGE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    MoveRequest in = Json.body(ctx, MoveRequest.class);
                    if (in.node() == null || in.node().isBlank()) throw DomainException.invalid("node", "required: the id of a live node");
                    ClusterNode.Placement before = jdbi.inTransaction(h -> {
                        ClusterNode.Placement was = node.placement(id);
                        node.move(h, id, in.node());
                        audit.record(h, me, ctx.ip(), "cluster.move", was.code(), "from=" + was.node() + " to=" + in.node());
                        return was;
                    });
                    // This node hands the enterprise over (or takes it up) at once when the move concerns it.
                    if (node.nodeId().equals(before.node()) || node.nodeId().equals(in.node())) node.beat();
                    ctx.json(node.placement(id));
                });
    }
}
