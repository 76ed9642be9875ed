package dev.hotline.acd;

import dev.hotline.directory.User;
import dev.hotline.directory.UserStore;
import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * What an agent (or a supervisor for them) asks of their session, whatever the transport: the
 * {@code /agent/*} and {@code /agents/{id}/state} routes and the CTI channel all come here. This is
 * the one place that checks a requested state (AGENT-1): ready, not ready with one of the
 * enterprise's reason codes, or logged out; the moves that depend on the agent's calls (no logout
 * or device change during a call) are the {@link AgentBoard}'s. Refusals are {@link DomainException}s.
 */
public final class AgentDesk {
    private final Jdbi jdbi;
    private final Acd acd;

    public AgentDesk(Jdbi jdbi, Acd acd) {
        this.jdbi = jdbi;
        this.acd = acd;
    }

    /** Signs in on a device: {@code sip} (the agent's extension), {@code webrtc} (the browser) or {@code external} (a number). */
    public AgentView login(long enterpriseId, long userId, String device, String number, String by) {
        String key = Validator.clean(device);
        Optional<Device.Kind> kind = Device.Kind.parse(key);
        Validator.of().required("device", key).check(key == null || kind.isPresent(), "device", "sip, webrtc or external").throwIfInvalid();
        return acd.login(enterpriseId, userId, new Device(kind.get(), Validator.clean(number)), by);
    }

    public AgentView logout(long enterpriseId, long userId, String by) {
        return acd.logout(enterpriseId, userId, by);
    }

    /** Applies a requested state: ready, not_ready (reason required, an enterprise reason code) or logged_out. */
    public AgentView changeState(long enterpriseId, long userId, String state, String reason, String by) {
        String stateKey = Validator.clean(state);
        Optional<AgentState> to = AgentState.parse(stateKey);
        String why = Validator.clean(reason);
        Validator v = Validator.of().required("state", stateKey)
                .check(stateKey == null || to.filter(AgentState::requestable).isPresent(), "state", "ready, not_ready or logged_out");
        if (to.orElse(null) == AgentState.NOT_READY) {
            v.required("reason", why);
            if (why != null) v.check(reasons(enterpriseId).stream().anyMatch(x -> x.code().equals(why)), "reason", "no such reason code");
        }
        v.throwIfInvalid();
        if (to.get() == AgentState.LOGGED_OUT) return acd.logout(enterpriseId, userId, by);
        return acd.setState(enterpriseId, userId, to.get(), to.get() == AgentState.NOT_READY ? why : null, by);
    }

    /** The agent's live view; a user the dispatcher does not know yet is simply logged out. */
    public AgentView view(long enterpriseId, long userId) {
        return acd.agentView(enterpriseId, userId).orElseGet(() -> {
            User u = jdbi.withHandle(h -> UserStore.byId(h, enterpriseId, userId)).orElseThrow(() -> DomainException.notFound("user"));
            return new AgentView(u.id(), u.displayName() == null ? u.username() : u.displayName(), u.jobNumber(), u.extension(),
                    AgentState.LOGGED_OUT, null, null, null, null, null, 0, 0, 0, Map.of(), Map.of(), null, null);
        });
    }

    /** The live view if the dispatcher knows the agent (no database read). */
    public Optional<AgentView> live(long enterpriseId, long userId) {
        return acd.agentView(enterpriseId, userId);
    }

    /** The reasons an agent can give for not being ready. */
    public List<QueueStore.ReasonCode> reasons(long enterpriseId) {
        return jdbi.withHandle(h -> QueueStore.reasons(h, enterpriseId));
    }
}
