package dev.hotline.cluster;

import dev.hotline.auth.Permission;
import dev.hotline.web.Api;
import java.util.List;
import java.util.Optional;

/**
 * OPS-3 over HTTP: the lookup Kamailio makes for every new dialog (which node serves the enterprise of this request, as a
 * SIP URI in plain text), and the nodes for the operator.
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

    public static void register(Api root, ClusterNode node, EnterpriseOfRequest enterprises) {
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
    }
}
