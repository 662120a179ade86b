/* ncursesw for Swift: wide-character API, plus functions for what Swift 6 cannot
 * use directly — C globals (stdscr, LINES, COLS, COLORS) and function-like or
 * expression macros (COLOR_PAIR, getmaxyx, A_BOLD, KEY_F). */
#ifndef DUET_CCURSES_SHIM_H
#define DUET_CCURSES_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <locale.h>
#include <wchar.h>
#include <langinfo.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#if __has_include(<ncursesw/ncurses.h>)
#include <ncursesw/ncurses.h>
#else
#include <ncurses.h>
#endif

static inline WINDOW *duet_stdscr(void) { return stdscr; }
static inline int duet_lines(void) { return LINES; }
static inline int duet_cols(void) { return COLS; }
static inline int duet_colors(void) { return COLORS; }
static inline int duet_color_pairs(void) { return COLOR_PAIRS; }

static inline attr_t duet_color_pair(int n) { return (attr_t)COLOR_PAIR(n); }
static inline attr_t duet_a_normal(void) { return A_NORMAL; }
static inline attr_t duet_a_bold(void) { return A_BOLD; }
static inline attr_t duet_a_dim(void) { return A_DIM; }
static inline attr_t duet_a_reverse(void) { return A_REVERSE; }
static inline attr_t duet_a_underline(void) { return A_UNDERLINE; }

static inline void duet_getmaxyx(WINDOW *win, int *y, int *x) { getmaxyx(win, *y, *x); }
static inline void duet_getyx(WINDOW *win, int *y, int *x) { getyx(win, *y, *x); }
static inline void duet_getbegyx(WINDOW *win, int *y, int *x) { getbegyx(win, *y, *x); }

static inline int duet_err(void) { return ERR; }
static inline int duet_ok(void) { return OK; }
static inline int duet_key_code_yes(void) { return KEY_CODE_YES; }
static inline int duet_key_resize(void) { return KEY_RESIZE; }
static inline int duet_key_f(int n) { return KEY_F(n); }

static inline SCREEN *duet_newterm(void) { return newterm(NULL, stdout, stdin); }

/* Bracketed paste (xterm's mode 2004): the terminal wraps pasted text in ESC[200~ … ESC[201~,
 * which ncurses reports as the two key codes defined here. */
static inline int duet_key_paste_start(void) { return KEY_MAX + 1; }
static inline int duet_key_paste_end(void) { return KEY_MAX + 2; }
static inline void duet_bracketed_paste(int on) {
    if (on) {
        define_key("\033[200~", duet_key_paste_start());
        define_key("\033[201~", duet_key_paste_end());
    }
    fputs(on ? "\033[?2004h" : "\033[?2004l", stdout);
    fflush(stdout);
}

/* One cell: a wide character with attributes and a colour pair (setcchar + mvwadd_wch). */
static inline int duet_put_cell(WINDOW *win, int y, int x, wchar_t ch, attr_t attrs, int pair) {
    cchar_t cell;
    wchar_t text[2] = { ch, 0 };
    if (setcchar(&cell, text, attrs, (short)pair, NULL) != OK) return ERR;
    return mvwadd_wch(win, y, x, &cell);
}

/* Columns a character takes (wcwidth needs _XOPEN_SOURCE, which Swift's Glibc module lacks). */
static inline int duet_wcwidth(wchar_t c) { return wcwidth(c); }

/* Whether the locale's character set is UTF-8 (braille and box drawing can be shown). */
static inline int duet_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

/* The terminal as it was before curses, restored from signal handlers with only
 * async-signal-safe calls (tcsetattr, write) when the process dies. */
/* In function-local statics: Swift's importer does not emit file-scope statics of a header. */
static inline struct termios *duet_saved_termios(void) { static struct termios saved; return &saved; }
static inline int *duet_saved_termios_valid(void) { static int valid = 0; return &valid; }
static inline void duet_terminal_save(void) {
    *duet_saved_termios_valid() = tcgetattr(STDIN_FILENO, duet_saved_termios()) == 0;
}
static inline void duet_terminal_emergency_restore(void) {
    static const char reset[] = "\033[0m\033[?25h\033[?2004l\033[?1049l\r\n";
    if (*duet_saved_termios_valid()) tcsetattr(STDIN_FILENO, TCSANOW, duet_saved_termios());
    ssize_t ignored = write(STDOUT_FILENO, reset, sizeof reset - 1);
    (void)ignored;
}
static inline void duet_fatal_signal(int sig) {
    duet_terminal_emergency_restore();
    signal(sig, SIG_DFL);
    raise(sig);
}
/* Restores the terminal before the process dies of these signals. */
static inline void duet_install_restore_handlers(void) {
    int signals[] = { SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE };
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) signal(signals[i], duet_fatal_signal);
}
static inline void duet_remove_restore_handlers(void) {
    int signals[] = { SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE };
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) signal(signals[i], SIG_DFL);
}


#endif
