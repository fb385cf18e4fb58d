"""ai-video-generator-free-music: an MCP server that makes music videos with the NemoVideo backend."""
