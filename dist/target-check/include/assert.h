/* What ring's C uses of <assert.h>, for a type check of other targets (dist/check-targets.sh). */
#define assert(e) ((void)0)
