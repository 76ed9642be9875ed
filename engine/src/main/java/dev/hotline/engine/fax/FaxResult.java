package dev.hotline.engine.fax;

/**
 * How a fax session ended: {@code ok} with the pages confirmed (sender: MCF received; receiver: MCF sent) and, for a
 * receiver, the document; else the reason. {@code remoteId} is the far end's TSI or CSI when it sent one.
 */
public record FaxResult(boolean ok, int pages, FaxDocument received, String error, String remoteId) {
    public static FaxResult success(int pages, FaxDocument received, String remoteId) {
        return new FaxResult(true, pages, received, null, remoteId);
    }

    public static FaxResult failure(int pages, FaxDocument received, String error, String remoteId) {
        return new FaxResult(false, pages, received, error, remoteId);
    }
}
