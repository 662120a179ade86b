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

#endif
