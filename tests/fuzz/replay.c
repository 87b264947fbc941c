/* Replays saved fuzz inputs through a fuzz target's LLVMFuzzerTestOneInput without libFuzzer
 * (a plain C test: gcc, and under ASan in CI). Arguments: files or folders of inputs. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay__count;

static int replay__file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "replay: cannot read %s\n", path);
    return 1;
  }
  uint8_t *data = NULL;
  size_t len = 0, cap = 0;
  for (;;) {
    if (len == cap) {
      cap = cap ? cap * 2 : 4096;
      data = realloc(data, cap);
      if (!data) abort();
    }
    size_t n = fread(data + len, 1, cap - len, f);
    if (!n) break;
    len += n;
  }
  fclose(f);
  LLVMFuzzerTestOneInput(data, len);
  free(data);
  replay__count++;
  return 0;
}

static int replay__path(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "replay: no such file %s\n", path);
    return 1;
  }
  if (!S_ISDIR(st.st_mode)) return replay__file(path);
  struct dirent **names;
  int n = scandir(path, &names, NULL, alphasort);
  if (n < 0) return 1;
  int failures = 0;
  for (int i = 0; i < n; i++) {
    if (names[i]->d_name[0] != '.') {
      char child[4096];
      snprintf(child, sizeof child, "%s/%s", path, names[i]->d_name);
      failures += replay__file(child);
    }
    free(names[i]);
  }
  free(names);
  return failures;
}

int main(int argc, char **argv) {
  int failures = 0;
  for (int i = 1; i < argc; i++) failures += replay__path(argv[i]);
  /* Reaching here without a crash or a sanitizer report is the test. */
  printf("replayed %d inputs\n%d passed, %d failed\n", replay__count, replay__count, failures);
  return failures ? 1 : 0;
}
