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

#endif
