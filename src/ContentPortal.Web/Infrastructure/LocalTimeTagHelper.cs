using System.Globalization;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace ContentPortal.Web.Infrastructure;

/// <summary>
/// <c>&lt;local-time value="@x" /&gt;</c> renders a &lt;time&gt; with the UTC ISO 8601 value; site.js turns
/// the text into the reader's local time. Without script, the readable UTC text stays.
/// </summary>
[HtmlTargetElement("local-time", TagStructure = TagStructure.WithoutEndTag)]
public sealed class LocalTimeTagHelper : TagHelper
{
    public DateTime? Value { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        output.TagName = "time";
        output.TagMode = TagMode.StartTagAndEndTag;
        if (Value is not { } value)
        {
            output.Content.SetContent("—");
            return;
        }

        var utc = DateTime.SpecifyKind(value, DateTimeKind.Utc);
        output.Attributes.SetAttribute("datetime", utc.ToString("yyyy-MM-ddTHH:mm:ss'Z'", CultureInfo.InvariantCulture));
        output.Attributes.SetAttribute("data-local", "");
        output.Content.SetContent(utc.ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture));
    }
}
