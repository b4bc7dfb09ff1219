"""`claimaudit lsp`: a language server (pygls) that audits Markdown, HTML and plain text as you write.

`engine` audits a buffer with the project's configuration, `convert` turns findings into LSP
diagnostics, hovers and code actions (pure functions), `server` wires them to pygls.
"""
