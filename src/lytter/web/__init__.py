"""The browser door: server-rendered pages over the service layer."""
