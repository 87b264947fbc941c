;;; nodehint-eglot.el --- nodehint's language server in Emacs with eglot  -*- lexical-binding: t; -*-
;; Copy into your init file (or `load' this file). Needs eglot: built into Emacs 29+;
;; Emacs 28: M-x package-install RET eglot, or Debian's elpa-eglot.
;; Eglot runs one server per buffer: this replaces eglot's default JavaScript server.

;; .mjs and .cjs files are JavaScript too (Emacs 28 does not know them).
(add-to-list 'auto-mode-alist '("\\.[cm]js\\'" . js-mode))

(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '((js-mode js-ts-mode) . ("nodehint" "--stdio"))))

(add-hook 'js-mode-hook #'eglot-ensure)
(add-hook 'js-ts-mode-hook #'eglot-ensure)

;; Optional settings: the `nodehint' section, with the keys of .nodehintrc.json plus
;; hoverLanguage ("both", "zh" or "en"); also fine per project in .dir-locals.el.
;; (setq-default eglot-workspace-configuration
;;               '(:nodehint (:rules (:sync-call-in-handler "error") :hoverLanguage "en")))

;;; nodehint-eglot.el ends here
