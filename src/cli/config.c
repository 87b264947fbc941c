#include "cli/config.h"

#include <errno.h>
#include <stdarg.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/xalloc.h"
#include "cli/glob.h"
#include "knowledge/pack.h"

static bool config__fail(char **error, const char *origin, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static bool config__fail(char **error, const char *origin, const char *key, const char *fmt, ...) {
  char problem[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(problem, sizeof problem, fmt, ap);
  va_end(ap);
  if (!*error) *error = key ? xasprintf("%s: %s: %s", origin, key, problem)
                            : xasprintf("%s: %s", origin, problem);
  return false;
}

static bool config__severity(json_t *value, Severity *out) {
  return json_is_string(value) && severity_parse(json_string_value(value), out);
}

static bool config__apply_rule(Config *config, RuleId rule, json_t *value, const char *origin,
                               const char *key, char **error) {
  json_t *severity = value, *options = NULL;
  if (json_is_array(value)) {
    if (json_array_size(value) < 1 || json_array_size(value) > 2)
      return config__fail(error, origin, key, "expected \"severity\" or [\"severity\", {options}]");
    severity = json_array_get(value, 0);
    options = json_array_get(value, 1);
  }
  Severity s;
  if (!config__severity(severity, &s))
    return config__fail(error, origin, key,
                        "unknown severity (expected \"off\", \"hint\", \"info\", \"warning\" or "
                        "\"error\")");
  config->lint.rules[rule].severity = s;
  if (!options) return true;
  if (!json_is_object(options))
    return config__fail(error, origin, key, "options must be an object");
  const char *name;
  json_t *v;
  json_object_foreach(options, name, v) {
    char option_key[512];
    snprintf(option_key, sizeof option_key, "%.255s.%.200s", key, name);
    if (!json_is_integer(v))
      return config__fail(error, origin, option_key, "expected an integer");
    const char *problem = lint_config_set_option(&config->lint, rule, name, json_integer_value(v));
    if (problem) {
      const RuleHooks *hooks = rule_infos[rule].hooks;
      if (strcmp(problem, "unknown option") == 0) {
        char known[256] = "";
        for (uint8_t o = 0; o < hooks->option_count; o++) {
          if (o) strncat(known, ", ", sizeof known - strlen(known) - 1);
          strncat(known, hooks->options[o].name, sizeof known - strlen(known) - 1);
        }
        return config__fail(error, origin, option_key, "unknown option (this rule has %s)",
                            hooks->option_count ? known : "no options");
      }
      for (uint8_t o = 0; o < hooks->option_count; o++)
        if (strcmp(hooks->options[o].name, name) == 0)
          return config__fail(error, origin, option_key, "must be between %lld and %lld",
                              (long long)hooks->options[o].min, (long long)hooks->options[o].max);
      return config__fail(error, origin, option_key, "%s", problem);
    }
  }
  return true;
}

/* "knowledge": ["path/to/pack.json", …]: team knowledge packs, relative to the config's folder.
 * Each is loaded (and registered process-wide, see knowledge/pack.h) right away, so a broken
 * pack is reported like any other configuration error. */
static bool config__knowledge(Config *config, json_t *value, const char *origin, char **error) {
  if (!json_is_array(value))
    return config__fail(error, origin, "knowledge", "expected an array of knowledge pack paths");
  size_t i;
  json_t *item;
  json_array_foreach(value, i, item) {
    char item_key[64];
    snprintf(item_key, sizeof item_key, "knowledge[%zu]", i);
    if (!json_is_string(item) || !json_string_value(item)[0])
      return config__fail(error, origin, item_key, "expected the path of a knowledge pack (.json)");
    const char *rel = json_string_value(item);
    char *path = rel[0] == '/' || !config->dir ? xstrdup(rel)
                                              : xasprintf("%s/%s", config->dir, rel);
    char *pack_error = NULL;
    if (!kb_pack_load(path, &pack_error)) {
      config__fail(error, origin, item_key, "%s", pack_error ? pack_error : "cannot load");
      free(pack_error);
      free(path);
      return false;
    }
    array_push(&config->knowledge, path);
  }
  return true;
}

bool config_apply_json(Config *config, const char *json_text, size_t len, const char *origin,
                       char **error) {
  json_error_t jerr;
  json_t *root = json_loadb(json_text, len, JSON_REJECT_DUPLICATES, &jerr);
  if (!root)
    return config__fail(error, origin, NULL, "invalid JSON at line %d, column %d: %s", jerr.line,
                        jerr.column, jerr.text);
  bool ok = false;
  if (!json_is_object(root)) {
    config__fail(error, origin, NULL, "expected a JSON object");
    goto done;
  }
  const char *key;
  json_t *value;
  json_object_foreach(root, key, value) {
    if (strcmp(key, "$schema") == 0) continue;
    if (strcmp(key, "rules") == 0) {
      if (!json_is_object(value)) {
        config__fail(error, origin, "rules", "expected an object of rule id → severity");
        goto done;
      }
      const char *id;
      json_t *setting;
      json_object_foreach(value, id, setting) {
        char rule_key[256];
        snprintf(rule_key, sizeof rule_key, "rules.%s", id);
        int rule = rule_find(id);
        if (rule < 0) {
          config__fail(error, origin, rule_key, "unknown rule (see `nodehint rules`)");
          goto done;
        }
        if (!config__apply_rule(config, (RuleId)rule, setting, origin, rule_key, error)) goto done;
      }
    } else if (strcmp(key, "ignore") == 0) {
      if (!json_is_array(value)) {
        config__fail(error, origin, "ignore", "expected an array of glob patterns");
        goto done;
      }
      size_t i;
      json_t *pattern;
      json_array_foreach(value, i, pattern) {
        if (!json_is_string(pattern) || !glob_valid(json_string_value(pattern))) {
          char item_key[64];
          snprintf(item_key, sizeof item_key, "ignore[%zu]", i);
          config__fail(error, origin, item_key, "expected a non-empty, well-formed glob pattern");
          goto done;
        }
        array_push(&config->ignore, xstrdup(json_string_value(pattern)));
      }
    } else if (strcmp(key, "maxFileSize") == 0) {
      if (!json_is_integer(value) || json_integer_value(value) < 1) {
        config__fail(error, origin, "maxFileSize", "expected a positive number of bytes");
        goto done;
      }
      config->max_file_size = (size_t)json_integer_value(value);
    } else if (strcmp(key, "knowledge") == 0) {
      if (!config__knowledge(config, value, origin, error)) goto done;
    } else {
      config__fail(error, origin, key,
                   "unknown key (expected \"rules\", \"ignore\", \"maxFileSize\" or "
                   "\"knowledge\")");
      goto done;
    }
  }
  ok = true;
done:
  json_decref(root);
  return ok;
}

static char *config__dirname(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return xstrdup(".");
  if (slash == path) return xstrdup("/");
  return xstrndup(path, (size_t)(slash - path));
}

bool config_load(const char *path, Config *out, char **error) {
  FILE *f = fopen(path, "rb");
  if (!f) return config__fail(error, path, NULL, "cannot read: %s", strerror(errno));
  char *text = NULL;
  size_t len = 0, cap = 0;
  for (;;) {
    if (len + 4096 > cap) {
      cap = cap ? cap * 2 : 8192;
      if (cap > (16u << 20)) {
        fclose(f);
        free(text);
        return config__fail(error, path, NULL, "larger than 16 MiB");
      }
      text = xrealloc(text, cap);
    }
    size_t n = fread(text + len, 1, cap - len, f);
    len += n;
    if (n == 0) break;
  }
  bool read_error = ferror(f);
  fclose(f);
  if (read_error) {
    free(text);
    return config__fail(error, path, NULL, "read error");
  }
  free(out->path);
  free(out->dir);
  out->path = xstrdup(path);
  out->dir = config__dirname(path);
  bool ok = config_apply_json(out, text, len, path, error);
  free(text);
  return ok;
}

void config_fini(Config *config) {
  free(config->path);
  free(config->dir);
  path_list_fini(&config->ignore);
  path_list_fini(&config->knowledge);
  memset(config, 0, sizeof *config);
}

bool config_ignores(const Config *config, const char *path) {
  if (!config->ignore.size) return false;
  /* Patterns are relative to the config's folder. Both sides are made absolute (without
   * resolving links) so "./src/x.js", "src/x.js" and "/abs/src/x.js" agree. */
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) return false;
  char *abs_path = path[0] == '/' ? xstrdup(path) : xasprintf("%s/%s", cwd, path);
  char *abs_dir = config->dir[0] == '/' ? xstrdup(config->dir) : xasprintf("%s/%s", cwd, config->dir);
  /* Normalise "/./" and trailing "/." segments from "./x" style input. */
  for (char **p = (char *[]){abs_path, abs_dir, NULL}; *p; p++) {
    char *s = *p, *w = s;
    for (char *r = s; *r;) {
      if (r[0] == '/' && r[1] == '.' && (r[2] == '/' || r[2] == '\0')) {
        r += 2;
        continue;
      }
      if (r[0] == '/' && r[1] == '/') {
        r++;
        continue;
      }
      *w++ = *r++;
    }
    *w = '\0';
    size_t n = strlen(s);
    while (n > 1 && s[n - 1] == '/') s[--n] = '\0';
  }
  bool hit = false;
  size_t dir_len = strlen(abs_dir);
  const char *rel = NULL;
  if (strcmp(abs_dir, "/") == 0) rel = abs_path + 1;
  else if (strncmp(abs_path, abs_dir, dir_len) == 0 && abs_path[dir_len] == '/')
    rel = abs_path + dir_len + 1;
  if (rel && *rel) {
    for (uint32_t i = 0; i < config->ignore.size && !hit; i++)
      hit = glob_ignores(config->ignore.items[i], rel);
  }
  free(abs_path);
  free(abs_dir);
  return hit;
}

/* --- the per-folder cache --- */

typedef struct CacheEntry {
  char *dir;       /* owned key */
  uint32_t config; /* index into configs, or UINT32_MAX for the defaults */
} CacheEntry;

typedef struct LoadedConfig {
  Config config;
  char *error; /* owned: why it failed to load, or NULL */
} LoadedConfig;

struct ConfigCache {
  const Config *defaults;
  Array(LoadedConfig *) configs; /* owned */
  Array(CacheEntry) entries;
  uint32_t *slots; /* open addressing over entries: index + 1, 0 = empty */
  uint32_t capacity;
};

ConfigCache *config_cache_create(const Config *defaults) {
  ConfigCache *cache = xcalloc(1, sizeof *cache);
  cache->defaults = defaults;
  return cache;
}

void config_cache_destroy(ConfigCache *cache) {
  if (!cache) return;
  for (uint32_t i = 0; i < cache->configs.size; i++) {
    config_fini(&cache->configs.items[i]->config);
    free(cache->configs.items[i]->error);
    free(cache->configs.items[i]);
  }
  array_delete(&cache->configs);
  for (uint32_t i = 0; i < cache->entries.size; i++) free(cache->entries.items[i].dir);
  array_delete(&cache->entries);
  free(cache->slots);
  free(cache);
}

static uint32_t config__hash(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

static void config__insert_slot(ConfigCache *cache, uint32_t entry) {
  uint32_t mask = cache->capacity - 1;
  for (uint32_t i = config__hash(cache->entries.items[entry].dir) & mask;; i = (i + 1) & mask)
    if (!cache->slots[i]) {
      cache->slots[i] = entry + 1;
      return;
    }
}

static void config__remember(ConfigCache *cache, const char *dir, uint32_t config) {
  array_push(&cache->entries, ((CacheEntry){xstrdup(dir), config}));
  if (cache->entries.size * 2 > cache->capacity) {
    free(cache->slots);
    cache->capacity = cache->capacity ? cache->capacity * 2 : 64;
    cache->slots = xcalloc(cache->capacity, sizeof(uint32_t));
    for (uint32_t i = 0; i < cache->entries.size; i++) config__insert_slot(cache, i);
  } else {
    config__insert_slot(cache, cache->entries.size - 1);
  }
}

static bool config__cached(const ConfigCache *cache, const char *dir, uint32_t *index) {
  if (!cache->capacity) return false;
  uint32_t mask = cache->capacity - 1;
  for (uint32_t i = config__hash(dir) & mask; cache->slots[i]; i = (i + 1) & mask) {
    const CacheEntry *e = &cache->entries.items[cache->slots[i] - 1];
    if (strcmp(e->dir, dir) == 0) {
      *index = e->config;
      return true;
    }
  }
  return false;
}

static const Config *config__result(const ConfigCache *cache, uint32_t index, char **error) {
  if (index == UINT32_MAX) return cache->defaults;
  const LoadedConfig *loaded = cache->configs.items[index];
  if (loaded->error) {
    *error = xstrdup(loaded->error);
    return NULL;
  }
  return &loaded->config;
}

const Config *config_cache_lookup(ConfigCache *cache, const char *dir, char **error) {
  char resolved[PATH_MAX];
  if (!realpath(dir, resolved)) snprintf(resolved, sizeof resolved, "%s", dir);
  uint32_t index;
  if (config__cached(cache, resolved, &index)) return config__result(cache, index, error);
  /* Walk up until a config file or a cached folder is found; cache every folder seen. */
  PathList seen = ARRAY_EMPTY;
  char *cur = xstrdup(resolved);
  index = UINT32_MAX;
  for (;;) {
    if (config__cached(cache, cur, &index)) break;
    array_push(&seen, xstrdup(cur));
    char *candidate = xasprintf("%s/%s", strcmp(cur, "/") == 0 ? "" : cur, CONFIG_FILE_NAME);
    struct stat st;
    if (stat(candidate, &st) == 0 && S_ISREG(st.st_mode)) {
      LoadedConfig *loaded = xcalloc(1, sizeof *loaded);
      loaded->config.lint = cache->defaults->lint;
      loaded->config.max_file_size = cache->defaults->max_file_size;
      if (!config_load(candidate, &loaded->config, &loaded->error) && !loaded->error)
        loaded->error = xasprintf("%s: cannot load", candidate);
      index = cache->configs.size;
      array_push(&cache->configs, loaded);
      free(candidate);
      break;
    }
    free(candidate);
    if (strcmp(cur, "/") == 0 || !strchr(cur, '/')) break;
    char *slash = strrchr(cur, '/');
    if (slash == cur) slash[1] = '\0';
    else *slash = '\0';
  }
  free(cur);
  for (uint32_t i = 0; i < seen.size; i++) config__remember(cache, seen.items[i], index);
  path_list_fini(&seen);
  return config__result(cache, index, error);
}
