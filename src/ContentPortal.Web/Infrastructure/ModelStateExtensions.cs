using ContentPortal.Domain;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace ContentPortal.Web.Infrastructure;

public static class ModelStateExtensions
{
    /// <summary>Puts each domain field error next to its form field ("Title" → "Input.Title").</summary>
    public static void AddFieldErrors(this ModelStateDictionary modelState, InvalidContentException invalid, string prefix)
    {
        foreach (var (field, message) in invalid.Errors)
        {
            modelState.AddModelError(prefix.Length == 0 ? field : $"{prefix}.{field}", message);
        }
    }
}
