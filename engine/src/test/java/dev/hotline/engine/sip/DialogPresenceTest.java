package dev.hotline.engine.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotline.engine.call.DialogInfo;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** PBX-8: the dialog-info documents (RFC 4235) and the subscription state machine (RFC 6665) of the busy lamps. */
class DialogPresenceTest {

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anIdleResourceIsAFullDocumentWithoutDialogs() throws Exception {
        Element root = parse(DialogInfoXml.render("sip:2101@example.com", 0, List.of(), "example.com")).getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("dialog-info");
        assertThat(root.getNamespaceURI()).isEqualTo("urn:ietf:params:xml:ns:dialog-info");
        assertThat(root.getAttribute("version")).isEqualTo("0");
        assertThat(root.getAttribute("state")).isEqualTo("full");
        assertThat(root.getAttribute("entity")).isEqualTo("sip:2101@example.com");
        assertThat(root.getElementsByTagNameNS("*", "dialog").getLength()).isZero();
    }

    @Test
    void everyDialogHasItsStateDirectionAndRemoteIdentity() throws Exception {
        String xml = DialogInfoXml.render("sip:2101@example.com", 7, List.of(
                new DialogInfo("ch-1", DialogInfo.State.EARLY, DialogInfo.Role.RECIPIENT, "13900000001"),
                new DialogInfo("ch-2", DialogInfo.State.CONFIRMED, DialogInfo.Role.INITIATOR, "2102"),
                new DialogInfo("ch-3", DialogInfo.State.TERMINATED, DialogInfo.Role.RECIPIENT, null)), "example.com");
        Element root = parse(xml).getDocumentElement();
        assertThat(root.getAttribute("version")).isEqualTo("7");
        NodeList dialogs = root.getElementsByTagNameNS("urn:ietf:params:xml:ns:dialog-info", "dialog");
        assertThat(dialogs.getLength()).isEqualTo(3);
        Element first = (Element) dialogs.item(0);
        assertThat(first.getAttribute("id")).isEqualTo("ch-1");
        assertThat(first.getAttribute("direction")).isEqualTo("recipient");
        assertThat(first.getElementsByTagNameNS("*", "state").item(0).getTextContent()).isEqualTo("early");
        assertThat(first.getElementsByTagNameNS("*", "identity").item(0).getTextContent()).isEqualTo("sip:13900000001@example.com");
        Element second = (Element) dialogs.item(1);
        assertThat(second.getAttribute("direction")).isEqualTo("initiator");
        assertThat(second.getElementsByTagNameNS("*", "state").item(0).getTextContent()).isEqualTo("confirmed");
        Element third = (Element) dialogs.item(2);
        assertThat(third.getElementsByTagNameNS("*", "state").item(0).getTextContent()).isEqualTo("terminated");
        assertThat(third.getElementsByTagNameNS("*", "remote").getLength()).isZero();
    }

    @Test
    void textIsEscaped() throws Exception {
        String xml = DialogInfoXml.render("sip:a&b@x", 1, List.of(
                new DialogInfo("<id>", DialogInfo.State.TRYING, DialogInfo.Role.INITIATOR, "\"evil\"<x>\u0001")), "x");
        Element root = parse(xml).getDocumentElement();
        assertThat(root.getAttribute("entity")).isEqualTo("sip:a&b@x");
        Element d = (Element) root.getElementsByTagNameNS("*", "dialog").item(0);
        assertThat(d.getAttribute("id")).isEqualTo("<id>");
        assertThat(d.getElementsByTagNameNS("*", "identity").item(0).getTextContent()).isEqualTo("sip:\"evil\"<x>@x");
    }

    @Test
    void dialogInfoNeedsAnIdStateAndRole() {
        assertThatThrownBy(() -> new DialogInfo(" ", DialogInfo.State.EARLY, DialogInfo.Role.RECIPIENT, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DialogInfo("a", null, DialogInfo.Role.RECIPIENT, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(DialogInfo.State.TERMINATED.live()).isFalse();
        assertThat(DialogInfo.State.EARLY.live()).isTrue();
    }

    @Test
    void aSubscriptionIsAcceptedRefreshedAndEndsForGood() {
        SubscriptionState s = SubscriptionState.NEW;
        assertThat(s.notifies()).isFalse();
        s = s.next(SubscriptionState.ACTIVE);
        assertThat(s.notifies()).isTrue();
        assertThat(s.header(600, null)).isEqualTo("active;expires=600");
        s = s.next(SubscriptionState.ACTIVE); // a refresh
        s = s.next(SubscriptionState.TERMINATED);
        assertThat(s.notifies()).isFalse();
        assertThat(s.header(0, "timeout")).isEqualTo("terminated;reason=timeout");
        for (SubscriptionState next : SubscriptionState.values()) {
            SubscriptionState from = s;
            assertThatThrownBy(() -> from.next(next)).isInstanceOf(IllegalStateException.class).hasMessageContaining("TERMINATED");
        }
    }

    @Test
    void aFetchEndsAtOnceAndNothingGoesBackToNew() {
        assertThat(SubscriptionState.NEW.next(SubscriptionState.TERMINATED)).isEqualTo(SubscriptionState.TERMINATED);
        assertThatThrownBy(() -> SubscriptionState.NEW.next(SubscriptionState.NEW)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SubscriptionState.ACTIVE.next(SubscriptionState.NEW)).isInstanceOf(IllegalStateException.class);
        assertThat(SubscriptionState.ACTIVE.header(-5, null)).isEqualTo("active;expires=0");
    }
}
