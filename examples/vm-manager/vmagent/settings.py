"""The agent's settings, read from an ini file. Illustrative only: never run."""

import configparser


class Settings:
    def __init__(self, path="/etc/vm-agent/agent.ini"):
        parser = configparser.ConfigParser()
        parser.read(path)
        self.uri = parser.get("agent", "uri", fallback="qemu:///system")
        # Code that no upstream CI job runs stays off unless the operator opts in.
        self.allow_untested = parser.getboolean("agent", "allow_untested", fallback=False)
