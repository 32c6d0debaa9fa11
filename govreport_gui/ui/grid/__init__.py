"""The report's tables as editable grids: model, view, frozen panes, keyboard walk."""
