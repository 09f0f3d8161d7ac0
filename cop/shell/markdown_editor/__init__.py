"""A Markdown editor for long text: a toolbar, a live preview, the Markdown kept as typed (see ``editor``)."""

from cop.shell.markdown_editor.editor import markdown_editor

__all__ = ["markdown_editor"]
