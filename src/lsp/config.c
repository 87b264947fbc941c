#include "lsp/config.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/analyze.h"
#include "base/xalloc.h"
#include "lsp/documents.h"

void lsp_config_init(LspConfig *config) {
  memset(config, 0, sizeof *config);
  lint_config_defaults(&config->defaults.lint);
  config->defaults.max_file_size = ANALYZE_DEFAULT_MAX_FILE_SIZE;
  config->cache = config_cache_create(&config->defaults);
  array_init(&config->folders);
}

void lsp_settings_fini(LspSettings *settings) {
  free(settings->lint_json);
  memset(settings, 0, sizeof *settings);
}

static void lsp_config__folder_fini(LspFolder *folder) {
  free(folder->uri);
  free(folder->path);
  lsp_settings_fini(&folder->settings);
}

void lsp_config_fini(LspConfig *config) {
  config_cache_destroy(config->cache);
  config_fini(&config->defaults);
  lsp_settings_fini(&config->init_options);
  lsp_settings_fini(&config->global);
  for (uint32_t i = 0; i < config->folders.size; i++) lsp_config__folder_fini(&config->folders.items[i]);
  array_delete(&config->folders);
}

/* Lua (Neovim) cannot tell an empty table from an empty list and encodes `{}` as `[]`: read an
 * empty array as an empty object where settings expect objects. Returns a new reference. */
static json_t *lsp_config__objects_from_empty_arrays(json_t *value) {
  if (json_is_array(value) && json_array_size(value) == 0) return json_object();
  if (!json_is_object(value)) return json_incref(value);
  json_t *copy = json_deep_copy(value);
  json_t *section = json_object_get(copy, "nodehint");
  if (json_is_array(section) && json_array_size(section) == 0)
    json_object_set_new(copy, "nodehint", json_object());
  json_t *holder = json_is_object(json_object_get(copy, "nodehint")) ? json_object_get(copy, "nodehint") : copy;
  json_t *rules = json_object_get(holder, "rules");
  if (json_is_array(rules) && json_array_size(rules) == 0)
    json_object_set_new(holder, "rules", json_object());
  rules = json_object_get(holder, "rules");
  const char *id;
  json_t *rule;
  json_object_foreach(rules, id, rule) {
    /* ["warning", []] → ["warning", {}] */
    json_t *options = json_is_array(rule) ? json_array_get(rule, 1) : NULL;
    if (json_is_array(options) && json_array_size(options) == 0)
      json_array_set_new(rule, 1, json_object());
  }
  return copy;
}

static bool lsp_settings__set(LspSettings *out, json_t *value, char **error) {
  *error = NULL;
  if (json_is_object(value) && json_is_object(json_object_get(value, "nodehint")) &&
      json_object_size(value) == 1)
    value = json_object_get(value, "nodehint");
  if (!value || json_is_null(value)) {
    lsp_settings_fini(out);
    return true;
  }
  if (!json_is_object(value)) {
    *error = xstrdup("settings: expected an object");
    return false;
  }
  LspSettings next = {0};
  json_t *lint = json_copy(value);
  json_t *lang = json_object_get(lint, "hoverLanguage");
  if (lang) {
    if (!json_is_string(lang) || !kb_language_parse(json_string_value(lang), &next.hover_language)) {
      json_decref(lint);
      *error = xstrdup("settings: hoverLanguage: expected \"both\", \"zh\" or \"en\"");
      return false;
    }
    next.has_hover_language = true;
    json_object_del(lint, "hoverLanguage");
  }
  /* VS Code puts the client's own "nodehint.trace.server" setting into the section. */
  json_object_del(lint, "trace");
  /* …and its client-side settings (which binary, whether to run at all) when a client sends
   * the whole section. */
  json_object_del(lint, "enable");
  json_object_del(lint, "path");
  if (json_object_size(lint)) {
    next.lint_json = json_dumps(lint, JSON_COMPACT);
    Config probe = {0};
    lint_config_defaults(&probe.lint);
    bool ok = config_apply_json(&probe, next.lint_json, strlen(next.lint_json), "settings", error);
    config_fini(&probe);
    if (!ok) {
      json_decref(lint);
      lsp_settings_fini(&next);
      return false;
    }
  }
  json_decref(lint);
  lsp_settings_fini(out);
  *out = next;
  return true;
}

bool lsp_settings_set(LspSettings *out, json_t *value, char **error) {
  json_t *normalized = lsp_config__objects_from_empty_arrays(value);
  bool ok = lsp_settings__set(out, normalized, error);
  json_decref(normalized);
  return ok;
}

static char *lsp_config__trim_uri(const char *uri) {
  size_t n = strlen(uri);
  while (n > 0 && uri[n - 1] == '/') n--;
  return xstrndup(uri, n);
}

void lsp_config_add_folder(LspConfig *config, const char *uri) {
  char *trimmed = lsp_config__trim_uri(uri);
  for (uint32_t i = 0; i < config->folders.size; i++)
    if (strcmp(config->folders.items[i].uri, trimmed) == 0) {
      free(trimmed);
      return;
    }
  LspFolder folder = {0};
  folder.uri = trimmed;
  folder.path = documents_uri_to_path(trimmed);
  array_push(&config->folders, folder);
}

void lsp_config_remove_folder(LspConfig *config, const char *uri) {
  char *trimmed = lsp_config__trim_uri(uri);
  for (uint32_t i = 0; i < config->folders.size; i++) {
    if (strcmp(config->folders.items[i].uri, trimmed) != 0) continue;
    lsp_config__folder_fini(&config->folders.items[i]);
    config->folders.items[i] = config->folders.items[--config->folders.size];
    break;
  }
  free(trimmed);
}

void lsp_config_reload_files(LspConfig *config) {
  config_cache_destroy(config->cache);
  config->cache = config_cache_create(&config->defaults);
}

/* The folder holding `uri` (the longest matching folder uri), or NULL. */
static const LspFolder *lsp_config__folder_of(const LspConfig *config, const char *uri) {
  const LspFolder *best = NULL;
  size_t best_len = 0;
  for (uint32_t i = 0; i < config->folders.size; i++) {
    const LspFolder *f = &config->folders.items[i];
    size_t n = strlen(f->uri);
    if (strncmp(uri, f->uri, n) == 0 && uri[n] == '/' && n >= best_len) {
      best = f;
      best_len = n;
    }
  }
  return best;
}

static char *lsp_config__dirname(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return xstrdup(".");
  if (slash == path) return xstrdup("/");
  return xstrndup(path, (size_t)(slash - path));
}

bool lsp_config_for_document(LspConfig *config, const char *uri, const char *path,
                             DocSettings *out, char **error) {
  *error = NULL;
  const Config *base = &config->defaults;
  char *dir = path ? lsp_config__dirname(path) : NULL;
  if (dir) {
    const Config *found = config_cache_lookup(config->cache, dir, error);
    if (found) base = found;
  }
  out->ignored = path && base->path && config_ignores(base, path);
  const LspFolder *folder = lsp_config__folder_of(config, uri);
  Config merged = {0};
  merged.lint = base->lint;
  merged.max_file_size = base->max_file_size;
  merged.dir = xstrdup(folder && folder->path ? folder->path : dir ? dir : "/");
  const LspSettings *layers[] = {&config->init_options, &config->global,
                                 folder ? &folder->settings : NULL};
  out->hover_language = KB_LANG_BOTH;
  for (size_t i = 0; i < sizeof layers / sizeof layers[0]; i++) {
    const LspSettings *s = layers[i];
    if (!s) continue;
    if (s->lint_json) {
      char *ignored_error = NULL;
      config_apply_json(&merged, s->lint_json, strlen(s->lint_json), "settings", &ignored_error);
      free(ignored_error); /* validated when the settings arrived */
    }
    if (s->has_hover_language) out->hover_language = s->hover_language;
  }
  if (path && merged.ignore.size && config_ignores(&merged, path)) out->ignored = true;
  out->lint = merged.lint;
  out->max_file_size = merged.max_file_size;
  config_fini(&merged);
  free(dir);
  return *error == NULL;
}
