"""Reading import files and turning their rows into validated post drafts."""
