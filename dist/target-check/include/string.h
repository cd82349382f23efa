/* What ring's C uses of <string.h>, for a type check of other targets (dist/check-targets.sh). */
#include <stddef.h>
void *memcpy(void *, const void *, size_t);
void *memmove(void *, const void *, size_t);
void *memset(void *, int, size_t);
int memcmp(const void *, const void *, size_t);
