"""Real-browser tests: Debian Chromium driven by Playwright against a live `streamlit run`."""
