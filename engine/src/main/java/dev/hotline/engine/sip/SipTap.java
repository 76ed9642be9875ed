package dev.hotline.engine.sip;

import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.Tap;
import dev.hotline.engine.call.TapMode;
import dev.hotline.engine.media.MixMode;
import dev.hotline.engine.rtp.ChannelMedia;
import dev.hotline.engine.rtp.MixGroup;

/**
 * A supervisor on a bridged call: the agent's leg, its peer and the supervisor are mixed by the
 * media clock (agent and customer as ordinary members, the supervisor as LISTEN, WHISPER with the
 * agent as target, or BARGE). When either party of the call leaves, the tap ends.
 */
final class SipTap implements Tap {
    private final SipLeg agent;
    private final SipLeg supervisor;
    private final MixGroup group;
    private volatile TapMode mode;

    private SipTap(SipLeg agent, SipLeg supervisor, MixGroup group, TapMode mode) {
        this.agent = agent;
        this.supervisor = supervisor;
        this.group = group;
        this.mode = mode;
    }

    static SipTap start(SipLeg agent, SipLeg supervisor, TapMode mode) {
        SipLeg customer = agent.partner();
        if (agent.state() != ChannelState.UP || customer == null || customer.state() != ChannelState.UP
                || agent.media == null || customer.media == null || agent.media.peer() != customer.media) {
            throw new IllegalStateException("channel " + agent.id + " is not in a bridged call");
        }
        if (supervisor.state() != ChannelState.UP || supervisor.media == null || supervisor == agent || supervisor == customer) {
            throw new IllegalStateException("supervisor channel " + supervisor.id + " must be answered and apart");
        }
        MixGroup g = agent.engine.relay().clock().newGroup("tap-" + agent.id);
        ChannelMedia a = agent.media.media();
        ChannelMedia c = customer.media.media();
        ChannelMedia s = supervisor.media.media();
        SipTap tap = new SipTap(agent, supervisor, g, mode);
        g.onRemoved(m -> {
            if (m == a || m == c) {
                g.close();
            }
        });
        g.add(a, MixMode.NORMAL, null, null);
        g.add(c, MixMode.NORMAL, null, null);
        g.add(s, mode.mixMode(), a, null);
        agent.tappedBy(tap);
        customer.tappedBy(tap); // SipBridge.unbridge ends it
        return tap;
    }

    @Override
    public String agentChannelId() {
        return agent.id;
    }

    @Override
    public String supervisorChannelId() {
        return supervisor.id;
    }

    @Override
    public TapMode mode() {
        return mode;
    }

    @Override
    public void mode(TapMode newMode) {
        mode = newMode;
        group.setMode(supervisor.media.media(), newMode.mixMode());
    }

    @Override
    public void stop() {
        group.close();
    }
}
