"""The actions board: status columns whose cards are dragged or moved by keyboard (see ``view``)."""

from cop.actions.ui.board.view import board_view

__all__ = ["board_view"]
