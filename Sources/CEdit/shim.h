/* libedit for Swift: its native API (histedit.h) and its readline compatibility
 * layer, plus functions for the globals Swift 6 rejects as shared mutable state. */
#ifndef DUET_CEDIT_SHIM_H
#define DUET_CEDIT_SHIM_H

#include <stdio.h>
#include <histedit.h>
#include <editline/readline.h>

/* Version of the native API, e.g. 2.11 (LIBEDIT_MAJOR/MINOR). */
static inline int duet_libedit_major(void) { return LIBEDIT_MAJOR; }
static inline int duet_libedit_minor(void) { return LIBEDIT_MINOR; }

/* Read from the linked library (not the header), which proves libedit links. */
static inline const char *duet_rl_library_version(void) { return rl_library_version; }
static inline int duet_rl_readline_version(void) { return rl_readline_version; }

static inline int duet_history_length(void) { return history_length; }
static inline const char *duet_rl_line_buffer(void) { return rl_line_buffer; }
static inline void duet_rl_set_attempted_completion_function(rl_completion_func_t *function) {
    rl_attempted_completion_function = function;
}

/* Completion results are exact replacements: no filename fallback, nothing appended. */
static inline void duet_rl_completion_done(void) {
    rl_attempted_completion_over = 1;
    rl_completion_append_character = 0;
}

/* history(3) is variadic, which Swift cannot call: one function per operation used. */
static inline History *duet_history_open(int size) {
    HistEvent ev;
    History *h = history_init();
    if (h) {
        history(h, &ev, H_SETSIZE, size);
        history(h, &ev, H_SETUNIQUE, 1);
    }
    return h;
}
static inline void duet_history_close(History *h) { history_end(h); }
static inline int duet_history_load(History *h, const char *path) { HistEvent ev; return history(h, &ev, H_LOAD, path); }
static inline int duet_history_save(History *h, const char *path) { HistEvent ev; return history(h, &ev, H_SAVE, path); }
static inline int duet_history_enter(History *h, const char *line) { HistEvent ev; return history(h, &ev, H_ENTER, line); }
/* Entries oldest first: H_LAST, then H_PREV until it fails. NULL when there are no more. */
static inline const char *duet_history_oldest(History *h) { HistEvent ev; return history(h, &ev, H_LAST) == 0 ? ev.str : NULL; }
static inline const char *duet_history_newer(History *h) { HistEvent ev; return history(h, &ev, H_PREV) == 0 ? ev.str : NULL; }

#endif
