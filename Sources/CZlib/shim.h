// zlib for reading and writing compressed .npz members (deflate) and gzip'd IDX files.
#include <zlib.h>
