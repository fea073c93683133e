"""Extensions of Rasa itself (not the assistant's domain logic).

Rasa imports this package in every process of this assistant (the tracker store of
endpoints.yml and the NLU components of config.yml live here), which is where the Rasa 3.6
per-turn speed-ups (speedups.py) are installed.
"""

from bot.rasa_ext import speedups

speedups.install()
