package dev.hotline.engine.fax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotline.engine.fax.Ifp.DataPacket;
import dev.hotline.engine.fax.Ifp.DataType;
import dev.hotline.engine.fax.Ifp.Field;
import dev.hotline.engine.fax.Ifp.FieldType;
import dev.hotline.engine.fax.Ifp.Indicator;
import dev.hotline.engine.fax.Ifp.IndicatorPacket;
import dev.hotline.engine.fax.T30Frame.Fcf;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The codings under the fax terminal: IFP and UDPTL (T.38), T.30 frames, DIS/DCS, T.4 page data. */
class FaxCodingTest {

    @Test
    void t30FcsIsTheIso3309CrcOfTheFrame() throws Exception {
        // CRC-16/X.25 check value of "123456789"
        assertThat(T30Frame.fcs("123456789".getBytes(StandardCharsets.US_ASCII), 9)).isEqualTo(0x906E);
        // a frame followed by its FCS leaves the ISO 3309 good remainder (0xF0B8 before the complement)
        byte[] dcn = new T30Frame(true, Fcf.DCN, true).withFcs();
        assertThat(T30Frame.fcs(dcn, dcn.length)).isEqualTo(~0xF0B8 & 0xFFFF);
    }

    @Test
    void t30FramesGoOnT38WithTheFirstBitInTheMsb() {
        // T.30 writes DCN as X101 1111 and the control field of a final frame as 1100 1000 (first bit left)
        T30Frame dcn = new T30Frame(true, Fcf.DCN, true);
        assertThat(dcn.octets()).containsExactly(0xFF, 0x13, 0xFB);
        assertThat(dcn.toT38()).containsExactly(0xFF, 0xC8, 0xDF);
        T30Frame dis = new T30Frame(true, Fcf.DIS, false, FaxCapabilities.HOTLINE.toDis());
        assertThat(dis.toT38()[2]).isEqualTo((byte) 0x01); // DIS 0000 0001
        assertThat(T30Frame.fromT38(dis.toT38())).isEqualTo(dis);
        T30Frame tsi = new T30Frame(false, Fcf.TSI, true, T30Frame.identity("+86 10 1234"));
        T30Frame back = T30Frame.fromT38(tsi.toT38());
        assertThat(back.last()).isFalse();
        assertThat(T30Frame.identity(back.info())).isEqualTo("+86 10 1234");
        assertThatThrownBy(() -> T30Frame.fromT38(new byte[]{(byte) 0xFF, (byte) 0xC8, (byte) 0x7F}))
                .isInstanceOf(FaxProtocolException.class);
    }

    @Test
    void disAndDcsCarryModemAndResolution() {
        // DIS bits 11..14 = 1,1,0,1 (V.27 ter, V.29, V.33, V.17), bit 15 fine, bit 10 receiver
        byte[] dis = FaxCapabilities.HOTLINE.toDis();
        assertThat(dis[1] & 0xFF).isEqualTo(0b0110_1110);
        FaxCapabilities v29only = FaxCapabilities.fromDis(new FaxCapabilities(false, true, false, false).toDis());
        assertThat(v29only.fastest()).isEqualTo(Modem.V29_9600);
        assertThat(Modem.V29_9600.fallBack(v29only)).isEqualTo(Modem.V29_7200);
        assertThat(Modem.V27_2400.fallBack(v29only)).isNull();
        for (Modem m : Modem.values()) {
            FaxCapabilities.Dcs dcs = FaxCapabilities.fromDcs(FaxCapabilities.toDcs(m, true, true));
            assertThat(dcs).isEqualTo(new FaxCapabilities.Dcs(m, true));
        }
    }

    @Test
    void ifpPacketsAreAlignedPer() {
        assertThat(Ifp.encode(new IndicatorPacket(Indicator.CED))).containsExactly(0x04);
        assertThat(Ifp.encode(new IndicatorPacket(Indicator.V21_PREAMBLE))).containsExactly(0x06);
        byte[] hdlc = Ifp.encode(new DataPacket(DataType.V21, List.of(
                new Field(FieldType.HDLC_DATA, new byte[]{(byte) 0xFF, (byte) 0xC8, 0x01}),
                new Field(FieldType.HDLC_FCS_OK_SIG_END))));
        // data choice V.21, 2 fields: hdlc-data with 3 octets (length - 1 in 16 bits), then hdlc-fcs-OK-sig-end
        assertThat(hdlc).containsExactly(0xC0, 0x02, 0x80, 0x00, 0x02, 0xFF, 0xC8, 0x01, 0x20);
        assertThat(Ifp.decode(hdlc)).isEqualTo(Ifp.decode(hdlc.clone()));
        DataPacket back = (DataPacket) Ifp.decode(hdlc);
        assertThat(back.type()).isEqualTo(DataType.V21);
        assertThat(back.fields().get(1).type()).isEqualTo(FieldType.HDLC_FCS_OK_SIG_END);
        assertThat(back.fields().get(0).data()).containsExactly(0xFF, 0xC8, 0x01);
        DataPacket t4 = new DataPacket(DataType.V17_14400, new Field(FieldType.T4_NON_ECM_DATA, new byte[300]));
        assertThat(Ifp.decode(Ifp.encode(t4))).isEqualTo(t4);
        assertThat(Ifp.encode(t4)[0] & 0xFF).isEqualTo(0xC0 | 8 << 1);
        assertThatThrownBy(() -> Ifp.decode(new byte[]{(byte) 0xC0, 0x01, (byte) 0x80, 0x00}))
                .isInstanceOf(FaxProtocolException.class);
    }

    @Test
    void udptlRecoversLostDatagramsFromTheSecondaries() {
        UdptlStream tx = new UdptlStream(2);
        UdptlStream rx = new UdptlStream(2);
        byte[][] sent = new byte[6][];
        for (int i = 0; i < 6; i++) {
            sent[i] = tx.wrap(new byte[]{(byte) (i * 2)});
        }
        UdptlPacket p2 = UdptlPacket.decode(sent[2], sent[2].length);
        assertThat(p2.seq()).isEqualTo(2);
        assertThat(p2.secondaries()).hasSize(2);
        assertThat(p2.secondaries().get(0)).containsExactly(2); // the most recent first
        assertThat(rx.unwrap(sent[0], sent[0].length).ifps()).hasSize(1);
        // 1 and 2 lost: 3 brings them back
        UdptlStream.Arrival a = rx.unwrap(sent[3], sent[3].length);
        assertThat(a.lost()).isZero();
        assertThat(a.ifps()).extracting(b -> (int) b[0]).containsExactly(2, 4, 6);
        // a repeat gives nothing
        assertThat(rx.unwrap(sent[3], sent[3].length).ifps()).isEmpty();
        // 4 lost too long ago beyond redundancy: 5 alone has 4 (and 3, already delivered)
        a = rx.unwrap(sent[5], sent[5].length);
        assertThat(a.ifps()).extracting(b -> (int) b[0]).containsExactly(8, 10);
        UdptlStream tx0 = new UdptlStream(0);
        UdptlStream rx0 = new UdptlStream(0);
        byte[] first = tx0.wrap(new byte[]{1});
        tx0.wrap(new byte[]{2});
        byte[] third = tx0.wrap(new byte[]{3});
        rx0.unwrap(first, first.length);
        assertThat(rx0.unwrap(third, third.length).lost()).isEqualTo(1);
        assertThatThrownBy(() -> UdptlPacket.decode(new byte[]{0, 1, 9, 0}, 4)).isInstanceOf(FaxProtocolException.class);
    }

    @Test
    void t4PageDataRoundTripsPelForPel() {
        BufferedImage page = sample(600, 7);
        byte[] data = T4.encode(page);
        // each line after an EOL, RTC at the end: six EOLs
        assertThat(data[0] & 0xFF).isZero();
        assertThat(FaxDocument.samePels(T4.decode(data), page)).isTrue();
        // fill bits before an EOL (T.4 §4.1.3) and junk after RTC are allowed
        byte[] padded = new byte[data.length + 8];
        System.arraycopy(data, 0, padded, 0, data.length);
        padded[padded.length - 1] = 0x55;
        assertThat(FaxDocument.samePels(T4.decode(padded), page)).isTrue();
        assertThatThrownBy(() -> T4.decode(new byte[40])).isInstanceOf(FaxProtocolException.class);
    }

    @Test
    void documentsAreScaledThresholdedAndWrittenAsTiff() throws Exception {
        BufferedImage photo = new BufferedImage(850, 1100, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = photo.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 850, 1100);
        g.setColor(Color.BLACK);
        g.fillRect(100, 100, 300, 50);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(photo, "png", png);
        FaxDocument doc = FaxDocument.read(png.toByteArray(), true);
        assertThat(doc.pages()).hasSize(1);
        BufferedImage p = doc.pages().get(0);
        assertThat(p.getWidth()).isEqualTo(1728);
        assertThat(p.getHeight()).isBetween(2150, 2170);
        assertThat(p.getRGB(400, 250) & 0xFFFFFF).isZero(); // inside the black bar
        assertThat(p.getRGB(1000, 250) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        FaxDocument standard = FaxDocument.read(png.toByteArray(), false);
        assertThat(standard.pages().get(0).getHeight()).isBetween(1075, 1085);
        // a long image is cut into A4 lengths; the TIFF keeps every page pel for pel
        BufferedImage tall = new BufferedImage(1728, 3000, BufferedImage.TYPE_BYTE_BINARY);
        FaxDocument two = new FaxDocument(FaxDocument.toFaxPages(tall, false), false);
        assertThat(two.pages()).extracting(BufferedImage::getHeight).containsExactly(1143, 1143, 714);
        FaxDocument again = FaxDocument.read(two.toTiff(), false);
        assertThat(again.pages()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(FaxDocument.samePels(again.pages().get(i), two.pages().get(i))).isTrue();
        }
        assertThatThrownBy(() -> FaxDocument.read("%PDF-1.4 not an image".getBytes(), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an image");
        // a PNG whose header declares 30000 × 30000 pixels is refused before any pixel is read
        assertThatThrownBy(() -> FaxDocument.read(pngHeader(30000, 30000), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too large");
    }

    /** A PNG signature, an IHDR chunk (8-bit grey) declaring {@code w} × {@code h}, and IEND: no pixel data. */
    static byte[] pngHeader(int w, int h) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 25 + 12);
        b.put(new byte[]{(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        chunk(b, "IHDR", java.nio.ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 0).put((byte) 0)
                .put((byte) 0).put((byte) 0).array());
        chunk(b, "IEND", new byte[0]);
        return b.array();
    }

    private static void chunk(java.nio.ByteBuffer b, String type, byte[] data) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(type.getBytes(StandardCharsets.US_ASCII));
        crc.update(data);
        b.putInt(data.length).put(type.getBytes(StandardCharsets.US_ASCII)).put(data).putInt((int) crc.getValue());
    }

    /** A page with text, lines and noise: every run length of MH shows up. */
    static BufferedImage sample(int height, long seed) {
        BufferedImage page = new BufferedImage(1728, height, BufferedImage.TYPE_BYTE_BINARY);
        Graphics2D g = page.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 1728, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 40));
        g.drawString("Hotline fax test 0123456789", 80, 80);
        g.fillRect(0, 120, 1728, 6);
        g.fillRect(1700, 200, 28, height / 3);
        g.dispose();
        Random r = new Random(seed);
        for (int y = height / 2; y < height / 2 + 12 && y < height; y++) {
            for (int x = 0; x < 1728; x++) {
                if (r.nextInt(5) == 0) {
                    page.setRGB(x, y, 0);
                }
            }
        }
        return page;
    }
}
