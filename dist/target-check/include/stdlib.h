/* What ring's C uses of <stdlib.h>, for a type check of other targets (dist/check-targets.sh). */
#include <stddef.h>
void abort(void);
unsigned long _byteswap_ulong(unsigned long);
unsigned long long _byteswap_uint64(unsigned long long);
