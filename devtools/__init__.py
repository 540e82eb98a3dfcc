"""Development tools: never installed with the app (not in the wheel, not in the image)."""
