"""One module per channel, each registering its `Channel` subclass (engine.notify.channel).
Every module in this folder is loaded when the channels are first needed."""
