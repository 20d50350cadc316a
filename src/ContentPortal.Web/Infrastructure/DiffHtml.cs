using System.Text.Encodings.Web;
using ContentPortal.Domain;
using Microsoft.AspNetCore.Html;

namespace ContentPortal.Web.Infrastructure;

/// <summary>
/// Renders word-diff segments as HTML with no whitespace of its own (the diff boxes keep the text's
/// whitespace). Every piece of text is HTML-encoded: a diff of script shows the script as text.
/// Inserted and deleted words are &lt;ins&gt;/&lt;del&gt; (underline / strike-through and colour) with hidden
/// words for screen readers, so colour is never the only signal.
/// </summary>
public static class DiffHtml
{
    /// <param name="side">"inline" shows both; "old" shows same + deleted; "new" shows same + inserted.</param>
    public static IHtmlContent Render(IEnumerable<DiffSegment> segments, string side)
    {
        var html = new HtmlContentBuilder();
        foreach (var segment in segments)
        {
            var text = HtmlEncoder.Default.Encode(segment.Text);
            switch (segment.Kind)
            {
                case DiffKind.Same:
                    html.AppendHtml(text);
                    break;
                case DiffKind.Inserted when side != "old":
                    html.AppendHtml($"<ins><span class=\"visually-hidden\">[added: </span>{text}<span class=\"visually-hidden\">]</span></ins>");
                    break;
                case DiffKind.Deleted when side != "new":
                    html.AppendHtml($"<del><span class=\"visually-hidden\">[removed: </span>{text}<span class=\"visually-hidden\">]</span></del>");
                    break;
            }
        }

        return html;
    }
}
