package dev.hotline.engine.sip;

import dev.hotline.engine.call.DialogInfo;
import java.util.List;

/** Renders a resource's dialogs as an RFC 4235 {@code application/dialog-info+xml} document (always full state). */
final class DialogInfoXml {
    static final String CONTENT_TYPE = "application";
    static final String CONTENT_SUBTYPE = "dialog-info+xml";

    private DialogInfoXml() {
    }

    /**
     * @param entity  the watched URI ({@code sip:2101@example.com})
     * @param version this subscription's document counter: 0 in the first NOTIFY, one more in each next one
     * @param domain  the domain remote identities are written in
     */
    static String render(String entity, long version, List<DialogInfo> dialogs, String domain) {
        StringBuilder b = new StringBuilder(256);
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append("<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" version=\"").append(version)
                .append("\" state=\"full\" entity=\"").append(escape(entity)).append('"');
        if (dialogs.isEmpty()) {
            return b.append("/>\n").toString();
        }
        b.append(">\n");
        for (DialogInfo d : dialogs) {
            b.append("  <dialog id=\"").append(escape(d.id())).append("\" direction=\"").append(d.role().xml()).append("\">\n");
            b.append("    <state>").append(d.state().xml()).append("</state>\n");
            if (d.remoteUser() != null && !d.remoteUser().isBlank()) {
                b.append("    <remote><identity>").append(escape("sip:" + d.remoteUser() + "@" + domain))
                        .append("</identity></remote>\n");
            }
            b.append("  </dialog>\n");
        }
        return b.append("</dialog-info>\n").toString();
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> {
                    if (c >= 0x20 || c == '\t') {
                        b.append(c); // other control characters are not allowed in XML 1.0
                    }
                }
            }
        }
        return b.toString();
    }
}
