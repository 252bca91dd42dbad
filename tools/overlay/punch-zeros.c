/*
 * punch-zeros FILE OFFSET LENGTH: replaces a range of FILE that holds only zeros with a hole, so a file
 * on the tmpfs of Phase 1's root stops holding those pages in RAM. It reads the range first and touches
 * nothing unless every byte is zero: a stale offset can cost the saving, never the program.
 * bttui-session runs it on /sbin/bttui before the first start (the ICU region, trimmed to English in
 * place, is 27.6 MiB of zeros); the offsets come from the overlay's build (/etc/bttui-zeros).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int all_zero(int fd, off_t offset, off_t length) {
  static char buf[1 << 20];
  while (length > 0) {
    size_t want = length < (off_t)sizeof buf ? (size_t)length : sizeof buf;
    ssize_t got = pread(fd, buf, want, offset);
    if (got <= 0) return 0;
    for (ssize_t i = 0; i < got; i++)
      if (buf[i]) return 0;
    offset += got;
    length -= got;
  }
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: punch-zeros FILE OFFSET LENGTH\n");
    return 2;
  }
  char *end1, *end2;
  off_t offset = strtoll(argv[2], &end1, 10), length = strtoll(argv[3], &end2, 10);
  if (*end1 || *end2 || offset < 0 || length <= 0) {
    fprintf(stderr, "punch-zeros: OFFSET and LENGTH are byte counts, not \"%s\" \"%s\"\n", argv[2], argv[3]);
    return 2;
  }
  int fd = open(argv[1], O_RDWR);
  if (fd < 0) {
    fprintf(stderr, "punch-zeros: %s: %s\n", argv[1], strerror(errno));
    return 1;
  }
  if (!all_zero(fd, offset, length)) {
    fprintf(stderr, "punch-zeros: %s: bytes %lld+%lld are not all zeros; left as they are\n", argv[1],
            (long long)offset, (long long)length);
    return 1;
  }
  if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length) != 0) {
    fprintf(stderr, "punch-zeros: %s: %s\n", argv[1], strerror(errno));
    return 1;
  }
  return close(fd) == 0 ? 0 : 1;
}
