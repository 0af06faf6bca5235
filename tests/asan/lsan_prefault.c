/*
 * lsan_prefault.c - linked into the ASan builds only (build-asan/qcode,
 * build-asan/unit-tests): at exit, just before LeakSanitizer's check,
 * map in one call every page of the writable segments it is about to
 * scan for pointers (every loaded module's .data and .bss).
 *
 * LeakSanitizer reads all of them, among them the 5 MB .bss of the
 * sanitizer runtime linked into the program (its stack depot), most of
 * it never touched: one page fault per 4 KB page, some 1,100 faults and
 * a fifth of the CPU time of `build-asan/qcode --version` on a virtual
 * machine, where a fault is dear.  MADV_POPULATE_READ (Linux 5.14) maps
 * the same pages (the zero page, or the file's) at once.  The check
 * itself is unchanged: it scans the same memory for the same roots.
 */
#include <link.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif

void qcode_lsan_prefault_init(void) __attribute__((constructor));

static int populate(struct dl_phdr_info *info, size_t size, void *data)
{
	const uintptr_t page = 4096;
	int i;

	(void)size;
	(void)data;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t b, e;

		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W) ||
		    ph->p_memsz == 0) {
			continue;
		}
		b = (info->dlpi_addr + ph->p_vaddr) & ~(page - 1);
		e = (info->dlpi_addr + ph->p_vaddr + ph->p_memsz + page - 1) &
		    ~(page - 1);
		/* An old kernel refuses (EINVAL): the scan faults as before. */
		madvise((void *)b, e - b, MADV_POPULATE_READ);
	}
	return 0;
}

static void prefault(void)
{
	dl_iterate_phdr(populate, NULL);
}

/* LeakSanitizer registered its check with atexit() when the runtime
 * started, before any constructor: handlers run last-registered first,
 * so prefault() runs just before it. */
void qcode_lsan_prefault_init(void)
{
	atexit(prefault);
}
