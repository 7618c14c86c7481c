"""Browser tests (Playwright driving Debian's Chromium) and helpers shared by the web tests."""
