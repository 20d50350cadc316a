using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;

namespace ContentPortal.Web.Infrastructure;

/// <summary>
/// Messages for values that do not bind (a word in a number field, a date past the calendar). The
/// framework's defaults repeat the typed value; a message travels in TempData cookies and into pages, so
/// a 200 KB value would make a cookie no browser sends back (431). These name the field only.
/// </summary>
public static class BindingMessages
{
    public static void Configure(DefaultModelBindingMessageProvider messages)
    {
        messages.SetAttemptedValueIsInvalidAccessor((_, field) => $"Enter a valid value for {field}.");
        messages.SetNonPropertyAttemptedValueIsInvalidAccessor(_ => "Enter a valid value.");
        messages.SetUnknownValueIsInvalidAccessor(field => $"Enter a valid value for {field}.");
        messages.SetValueIsInvalidAccessor(_ => "Enter a valid value.");
        messages.SetValueMustBeANumberAccessor(field => $"Enter a whole number for {field}.");
        messages.SetValueMustNotBeNullAccessor(field => $"Enter a value for {field}.");
        messages.SetMissingBindRequiredValueAccessor(field => $"Enter a value for {field}.");
        messages.SetMissingKeyOrValueAccessor(() => "Enter a value.");
        messages.SetMissingRequestBodyRequiredValueAccessor(() => "The request had no body.");
        messages.SetNonPropertyUnknownValueIsInvalidAccessor(() => "Enter a valid value.");
        messages.SetNonPropertyValueMustBeANumberAccessor(() => "Enter a whole number.");
    }
}
