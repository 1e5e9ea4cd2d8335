"""The seven AI features; each module holds context, output model, checks, text and offline twin."""
