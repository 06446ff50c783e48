"""The service layer: what the CLI, the API and the web pages all call."""
