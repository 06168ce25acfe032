// GLPK's C API (GNU Linear Programming Kit 5.0, GPL-3), from Debian's libglpk-dev.
#include <glpk.h>
