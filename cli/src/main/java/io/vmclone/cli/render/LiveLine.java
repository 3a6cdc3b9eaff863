package io.vmclone.cli.render;

import java.io.PrintWriter;

/**
 * Prints progress updates. On a terminal, updates within one phase rewrite the current line (a live
 * progress bar) and a new phase starts a new line; elsewhere (pipes, CI logs) every update is its own line.
 */
public final class LiveLine {
    private final PrintWriter out;
    private final boolean terminal;
    private String lastKey;
    private boolean open;

    public LiveLine(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** @param key what makes a line permanent when it changes (the phase) */
    public void update(String key, String line) {
        if (!terminal) {
            out.println(line);
        } else {
            if (open && key.equals(lastKey)) {
                out.print("\r\033[K");
            } else if (open) {
                out.println();
            }
            out.print(line);
            open = true;
        }
        lastKey = key;
        out.flush();
    }

    /** Ends an open terminal line before other output. */
    public void finish() {
        if (terminal && open) {
            out.println();
            out.flush();
            open = false;
        }
    }
}
