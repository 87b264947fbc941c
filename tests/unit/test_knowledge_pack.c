/* Team knowledge packs (src/knowledge/pack.c): validation errors name the file and the entry;
 * loaded packs are visible to kb_find/kb_view/kb_anchor_lookup, override built-in anchors,
 * reload when the file changes, and stay readable from other threads while packs load. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "knowledge/kb.h"
#include "knowledge/pack.h"
#include "check.h"

static char dir[] = "/tmp/nodehint-pack-XXXXXX";

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  if (!f) return;
  fputs(text, f);
  fclose(f);
}

static char *path_of(const char *name) {
  static char buf[4][512];
  static int k;
  k = (k + 1) % 4;
  snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
  return buf[k];
}

#define ENTRY(extra) "{\"id\": \"team-a\", \"question\": \"问?\", \"answer\": \"答\"" extra "}"

static void expect_error(const char *name, const char *json, const char *const *needles) {
  char *path = path_of(name);
  write_file(path, json);
  char *error = NULL;
  const KbPack *pack = kb_pack_load(path, &error);
  CHECK_MSG(pack == NULL && error != NULL, "%s: should fail", name);
  if (error) {
    CHECK_MSG(strstr(error, path) == error, "%s: the message names the file: %s", name, error);
    for (; *needles; needles++)
      CHECK_MSG(strstr(error, *needles) != NULL, "%s: '%s' not in: %s", name, *needles, error);
  }
  free(error);
}

static void check_errors(void) {
  struct {
    const char *name, *json, *needles[4];
  } cases[] = {
      {"invalid.json", "{\"entries\": [", {"invalid JSON", "line 1", NULL}},
      {"array.json", "[]", {"expected a JSON object", NULL}},
      {"top-key.json", "{\"entries\": [], \"extra\": 1}", {"unknown key 'extra'", NULL}},
      {"empty.json", "{\"entries\": []}", {"non-empty array", NULL}},
      {"not-object.json", "{\"entries\": [42]}", {"entry 1", "not an object", NULL}},
      {"no-answer.json", "{\"entries\": [{\"id\": \"team-a\", \"question\": \"q\"}]}",
       {"entry 1 ('team-a')", "missing key 'answer'", NULL}},
      {"bad-id.json", "{\"entries\": [{\"id\": \"Team_A\", \"question\": \"q\", \"answer\": \"a\"}]}",
       {"entry 1 ('Team_A')", "id:", NULL}},
      {"builtin-id.json",
       "{\"entries\": [{\"id\": \"async-vs-sync\", \"question\": \"q\", \"answer\": \"a\"}]}",
       {"entry 1 ('async-vs-sync')", "built-in", NULL}},
      {"dup-id.json", "{\"entries\": [" ENTRY("") ", " ENTRY("") "]}",
       {"entry 2 ('team-a')", "also entry 1", NULL}},
      {"unknown-key.json", "{\"entries\": [" ENTRY(", \"colour\": 1") "]}",
       {"entry 1 ('team-a')", "unknown key 'colour'", NULL}},
      {"empty-answer.json",
       "{\"entries\": [{\"id\": \"team-a\", \"question\": \"q\", \"answer\": \" \"}]}",
       {"answer: is empty", NULL}},
      {"en-half.json", "{\"entries\": [" ENTRY(", \"en_question\": \"Q?\"") "]}",
       {"en_question and en_answer go together", NULL}},
      {"bad-note.json",
       "{\"entries\": [" ENTRY(", \"notes\": [{\"text\": \"t\", \"url\": \"http://x\"}]") "]}",
       {"entry 1 ('team-a')", "notes[0].url", "https", NULL}},
      {"note-key.json", "{\"entries\": [" ENTRY(", \"notes\": [{\"text\": \"t\", \"link\": \"x\"}]") "]}",
       {"notes[0]", "unknown key 'link'", NULL}},
      {"bad-anchor.json", "{\"entries\": [" ENTRY(", \"anchors\": [\"fs.readFile\", \"fs..x\"]") "]}",
       {"entry 1 ('team-a')", "anchors[1]", "bad anchor 'fs..x'", NULL}},
      {"dup-anchor.json", "{\"entries\": [" ENTRY(", \"anchors\": [\".pipe\", \".pipe\"]") "]}",
       {"anchors[1]", "twice", NULL}},
      {"anchor-type.json", "{\"entries\": [" ENTRY(", \"anchors\": \".pipe\"") "]}",
       {"anchors: must be an array", NULL}},
      {"docs.json", "{\"entries\": [" ENTRY(", \"docs_url\": \"ftp://x\"") "]}",
       {"docs_url", NULL}},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    expect_error(cases[i].name, cases[i].json, cases[i].needles);
  char *error = NULL;
  CHECK(kb_pack_load(path_of("missing.json"), &error) == NULL && error &&
        strstr(error, "missing.json: cannot read"));
  free(error);
  CHECK(kb_view().count == kb_entry_count); /* nothing was registered */
}

static atomic_bool stop;

static void *reader(void *arg) {
  (void)arg;
  unsigned long n = 0;
  while (!atomic_load(&stop)) {
    const KbEntry *e = kb_anchor_lookup("fs.readFileSync", 15);
    if (!e || !e->question[0]) abort();
    KbView v = kb_view();
    for (size_t i = 0; i < v.count; i++)
      if (!v.entries[i]->id[0]) abort();
    if (!kb_find("async-vs-sync")) abort();
    n++;
  }
  return NULL;
}

static void check_loading(void) {
  const char *v1 =
      "{\"entries\": [{\"id\": \"team-config\", \"question\": \"配置怎么加载?\", "
      "\"answer\": \"启动时读一次。\", \"en_question\": \"How to load config?\", "
      "\"en_answer\": \"Once, at start-up.\", \"docs_url\": \"https://example.com/config\", "
      "\"notes\": [{\"text\": \"See the wiki.\", \"url\": \"https://example.com/wiki\"}], "
      "\"anchors\": [\"fs.readFileSync\", \"event:team\"]}, "
      "{\"id\": \"team-b\", \"question\": \"B?\", \"answer\": \"b\"}]}";
  char *path = path_of("team.json");
  write_file(path, v1);
  char *error = NULL;
  const KbPack *pack = kb_pack_load(path, &error);
  CHECK_MSG(pack != NULL, "load: %s", error ? error : "");
  free(error);
  if (!pack) return;
  CHECK(kb_pack_entry_count(pack) == 2 && strcmp(kb_pack_path(pack), path) == 0);
  const KbEntry *e = kb_find("team-config");
  CHECK(e == kb_pack_entry(pack, 0));
  CHECK(e && e->source && strcmp(e->source, path) == 0 && e->note_count == 1 &&
        strcmp(e->notes[0].url, "https://example.com/wiki") == 0 && e->anchor_count == 2 &&
        e->rule_count == 0 && e->line == 0 && e->anchor == NULL);
  CHECK(kb_anchor_lookup("fs.readFileSync", 15) == e); /* the pack wins */
  CHECK(kb_anchor_lookup("fs.writeFileSync", 16) == kb_find("async-vs-sync"));
  CHECK(kb_anchor_lookup("event:team", 10) == e);
  CHECK(kb_view().count == kb_entry_count + 2);
  CHECK(kb_find("async-vs-sync") && kb_find("async-vs-sync")->source == NULL);

  /* The same file again: the same pack. */
  CHECK(kb_pack_load(path, &error) == pack && !error);

  /* Another pack may not reuse an id. */
  const char *other = "{\"entries\": [{\"id\": \"team-b\", \"question\": \"q\", \"answer\": \"a\"}]}";
  write_file(path_of("other.json"), other);
  CHECK(kb_pack_load(path_of("other.json"), &error) == NULL && error &&
        strstr(error, "entry 1 ('team-b')") && strstr(error, "also defined in"));
  free(error);
  error = NULL;

  /* Reloading a changed file replaces it; the old entries stay readable. Meanwhile readers
   * on other threads keep looking things up. */
  pthread_t threads[3];
  for (int i = 0; i < 3; i++) pthread_create(&threads[i], NULL, reader, NULL);
  const KbEntry *old = e;
  for (int round = 0; round < 50; round++) {
    char text[1024];
    snprintf(text, sizeof text,
             "{\"entries\": [{\"id\": \"team-config\", \"question\": \"第%d版?\", "
             "\"answer\": \"a\", \"anchors\": [\"fs.readFileSync\"]}]}",
             round);
    write_file(path, text);
    const KbPack *p2 = kb_pack_load(path, &error);
    CHECK(p2 != NULL && p2 != pack && !error);
    free(error);
    error = NULL;
  }
  atomic_store(&stop, true);
  for (int i = 0; i < 3; i++) pthread_join(threads[i], NULL);
  CHECK(strcmp(old->question, "配置怎么加载?") == 0); /* still alive */
  const KbEntry *now = kb_find("team-config");
  CHECK(now && strcmp(now->question, "第49版?") == 0);
  CHECK(kb_find("team-b") == NULL); /* gone with the old version */
  CHECK(kb_view().count == kb_entry_count + 1);

  /* Parsing without registering. */
  KbPack *loose = kb_pack_parse(other, strlen(other), "inline", &error);
  CHECK(loose && !error && kb_pack_entry_count(loose) == 1);
  CHECK(kb_find("team-b") == NULL);
  kb_pack_destroy(loose);
  kb_pack_destroy(NULL);

  kb_packs_reset();
  CHECK(kb_find("team-config") == NULL && kb_view().count == kb_entry_count);
  CHECK(kb_anchor_lookup("fs.readFileSync", 15) == kb_find("async-vs-sync"));
}

int main(void) {
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 2;
  }
  check_errors();
  check_loading();
  /* Clean up the temporary folder. */
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
  return CHECK_DONE();
}
