package dev.hotline.engine.dtmf;

/**
 * The 16 DTMF keys with their RFC 4733 §3.2 event codes and their ITU-T Q.23 row/column
 * frequencies.
 */
public enum DtmfDigit {
    D0('0', 0, 941, 1336),
    D1('1', 1, 697, 1209),
    D2('2', 2, 697, 1336),
    D3('3', 3, 697, 1477),
    D4('4', 4, 770, 1209),
    D5('5', 5, 770, 1336),
    D6('6', 6, 770, 1477),
    D7('7', 7, 852, 1209),
    D8('8', 8, 852, 1336),
    D9('9', 9, 852, 1477),
    STAR('*', 10, 941, 1209),
    POUND('#', 11, 941, 1477),
    A('A', 12, 697, 1633),
    B('B', 13, 770, 1633),
    C('C', 14, 852, 1633),
    D('D', 15, 941, 1633);

    /** The low-group (row) frequencies in Hz. */
    static final int[] ROWS = {697, 770, 852, 941};
    /** The high-group (column) frequencies in Hz. */
    static final int[] COLS = {1209, 1336, 1477, 1633};

    private static final DtmfDigit[] BY_EVENT = new DtmfDigit[16];
    private static final DtmfDigit[][] BY_ROW_COL = new DtmfDigit[4][4];

    static {
        for (DtmfDigit d : values()) {
            BY_EVENT[d.event] = d;
            BY_ROW_COL[indexOf(ROWS, d.lowHz)][indexOf(COLS, d.highHz)] = d;
        }
    }

    private final char symbol;
    private final int event;
    private final int lowHz;
    private final int highHz;

    DtmfDigit(char symbol, int event, int lowHz, int highHz) {
        this.symbol = symbol;
        this.event = event;
        this.lowHz = lowHz;
        this.highHz = highHz;
    }

    /** The key as typed: 0-9, *, #, A-D. */
    public char symbol() {
        return symbol;
    }

    /** The RFC 4733 telephone-event code (0..15). */
    public int event() {
        return event;
    }

    public int lowHz() {
        return lowHz;
    }

    public int highHz() {
        return highHz;
    }

    /** The digit of an RFC 4733 event code, or null for codes that are not DTMF keys (e.g. 16 = flash). */
    public static DtmfDigit fromEvent(int event) {
        return event >= 0 && event < 16 ? BY_EVENT[event] : null;
    }

    /** The digit of a key symbol (case-insensitive for A-D), or null. */
    public static DtmfDigit fromSymbol(char c) {
        switch (Character.toUpperCase(c)) {
            case '*':
                return STAR;
            case '#':
                return POUND;
            case 'A':
                return A;
            case 'B':
                return B;
            case 'C':
                return C;
            case 'D':
                return D;
            default:
                return c >= '0' && c <= '9' ? BY_EVENT[c - '0'] : null;
        }
    }

    static DtmfDigit at(int row, int col) {
        return BY_ROW_COL[row][col];
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        throw new IllegalStateException();
    }

    @Override
    public String toString() {
        return String.valueOf(symbol);
    }
}
