"""A test host for the MCP App: the harness page and the tool results it hands the app."""
