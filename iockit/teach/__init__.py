"""Teaching materials: lessons, exercises, questionnaire and shareable dashboard state (no ipywidgets here)."""
