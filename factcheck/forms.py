"""WTForms classes: the shape of input only. No queries here."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, PasswordField, StringField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, Length, Optional


class PasteArticleForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=500)])
    url = URLField("Article URL", validators=[Optional(), URL(require_tld=False), Length(max=2000)],
                   description="Where it was published, if online.")
    outlet = StringField("Outlet", validators=[Optional(), Length(max=200)])
    published_on = DateField("Published on", validators=[Optional()])
    text = TextAreaField("Article text", validators=[DataRequired()],
                         description="Paste the whole article. Page furniture is removed.")


class UrlArticleForm(FlaskForm):
    url = URLField("Page URL", validators=[DataRequired(), URL(require_tld=False), Length(max=2000)])


class UploadArticleForm(FlaskForm):
    file = FileField("HTML or text file", validators=[
        FileRequired(), FileAllowed(["html", "htm", "txt"], "Upload an .html or .txt file."),
    ])
    title = StringField("Title", validators=[Optional(), Length(max=500)],
                        description="Leave empty to take it from the file.")
    outlet = StringField("Outlet", validators=[Optional(), Length(max=200)])


class LoginForm(FlaskForm):
    username = StringField("User name", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired()])
