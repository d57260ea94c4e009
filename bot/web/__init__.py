"""Web pages of the bot: sign-in with LINE (`bot.web.auth`) and the Thai pages they answer with."""
